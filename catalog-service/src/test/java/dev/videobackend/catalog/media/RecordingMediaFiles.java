package dev.videobackend.catalog.media;

import io.vertx.core.Context;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link MediaFiles} as the service has it, noting on which thread each blocking look at a file ran. */
@Alternative
@Priority(1)
@ApplicationScoped
public class RecordingMediaFiles extends MediaFiles {

    /** One entry per look: the thread's name, and whether it was an event-loop thread. */
    static final List<String> LOOKS = new CopyOnWriteArrayList<>();

    @Override
    Optional<BasicFileAttributes> read(Path file) {
        LOOKS.add(Thread.currentThread().getName() + (Context.isOnEventLoopThread() ? " [event loop]" : ""));
        return super.read(file);
    }
}
