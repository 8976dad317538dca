package dev.videobackend.catalog.media;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Looks at media files for delivery without blocking the event loop: on a network volume a {@code stat} can take
 * as long as a disk seek on another machine, and every request of the event loop would wait behind it. The look
 * runs on a worker thread; the answer comes back on the caller's Vert.x context.
 */
@ApplicationScoped
public class MediaFiles {

    /** A served file's size and modification time, or empty when it is not a regular file. */
    public Uni<Optional<BasicFileAttributes>> regularFile(Path file) {
        Context caller = Vertx.currentContext();
        Uni<Optional<BasicFileAttributes>> look = Uni.createFrom().item(() -> read(file))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return caller == null ? look : look.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** Blocking: the file's attributes. */
    Optional<BasicFileAttributes> read(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile() ? Optional.of(attributes) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the attributes of " + file, e);
        }
    }
}
