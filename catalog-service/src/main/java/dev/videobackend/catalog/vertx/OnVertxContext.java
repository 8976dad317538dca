package dev.videobackend.catalog.vertx;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

import java.util.function.Supplier;

/**
 * Uploads and file removals run on worker threads, because they do blocking file work; their database work, which
 * goes through the reactive client, runs on a Vert.x context and is awaited here.
 */
public final class OnVertxContext {

    private OnVertxContext() {
    }

    public static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
