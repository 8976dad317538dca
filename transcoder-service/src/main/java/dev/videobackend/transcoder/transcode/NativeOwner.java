package dev.videobackend.transcoder.transcode;

import org.bytedeco.javacpp.Pointer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/** Native state taken on one by one and freed in reverse order of creation, whatever happens. */
final class NativeOwner implements AutoCloseable {

    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    <T> T own(T resource, Consumer<T> release) {
        owned.push(() -> release.accept(resource));
        return resource;
    }

    /** Owns what an FFmpeg allocator returned; a NULL fails the transcode ({@code INTERNAL}) instead of a crash. */
    <P extends Pointer> P allocated(P pointer, Consumer<P> release, String what) {
        return own(Ffmpeg.allocated(pointer, what), release);
    }

    <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Could not release the native state of a transcode", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
