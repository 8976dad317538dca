package dev.videobackend.catalog.upload;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

import java.util.function.Supplier;

/**
 * Uploads run on worker threads, because their bodies are read as blocking streams; their database work, which
 * goes through the reactive client, runs on a Vert.x context and is awaited here.
 */
final class OnVertxContext {

    private OnVertxContext() {
    }

    static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
