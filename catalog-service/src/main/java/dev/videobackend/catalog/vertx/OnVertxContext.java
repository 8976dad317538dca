package dev.videobackend.catalog.vertx;

import io.opentelemetry.context.Scope;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs reactive database work from outside a request's own flow: uploads and file removals on worker threads, and
 * the work a commit starts. Each piece of work gets a fresh duplicated Vert.x context, never the caller's: Hibernate
 * Reactive keeps its session in the context, and two pieces of work sharing one would close each other's session.
 * The caller's trace context goes along, so that the work (an upload's transaction, say) is part of its trace.
 */
public final class OnVertxContext {

    private OnVertxContext() {
    }

    /** Runs {@code work} and waits for its result. Blocking: for worker threads only. */
    public static <T> T await(Supplier<Uni<T>> work) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("Waiting for database work would block the event loop");
        }
        return Uni.createFrom().<T>emitter(emitter -> start(work, emitter::complete, emitter::fail))
                .await().indefinitely();
    }

    /** Starts {@code work} without waiting: its outcome goes to {@code onItem} or {@code onFailure}. */
    public static <T> void start(Supplier<Uni<T>> work, Consumer<T> onItem, Consumer<Throwable> onFailure) {
        Vertx vertx = Arc.container().instance(Vertx.class).get();
        io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
        Context fresh = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(fresh, true);
        fresh.runOnContext(ignored -> {
            // Kept in the fresh context's locals for all of the work, which ends with it: the scope stays open.
            @SuppressWarnings("unused")
            Scope attached = trace.makeCurrent();
            ManagedContext requestContext = Arc.container().requestContext();
            boolean activated = !requestContext.isActive();
            if (activated) {
                requestContext.activate();
            }
            try {
                Uni<T> uni = work.get();
                if (activated) {
                    uni = uni.onTermination().invoke(requestContext::terminate);
                }
                uni.subscribe().with(onItem, onFailure);
            } catch (RuntimeException e) {
                if (activated) {
                    requestContext.terminate();
                }
                onFailure.accept(e);
            }
        });
    }
}
