package dev.videobackend.catalog.transaction;

import dev.videobackend.catalog.events.OutboxRelay;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.catalog.vertx.OnVertxContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Supplier;

/**
 * Runs a change in one transaction, then starts at once what its commit made due: publishing the events it put in
 * the outbox, removing the stored files it recorded for deletion. Both would happen on their next sweep anyway;
 * this only makes them prompt, so nothing here can fail the committed change.
 */
@ApplicationScoped
public class Transactions {

    private final OutboxRelay relay;
    private final FileDeletions fileDeletions;

    Transactions(OutboxRelay relay, FileDeletions fileDeletions) {
        this.relay = relay;
        this.fileDeletions = fileDeletions;
    }

    /** Commits {@code change} (on a Vert.x context), then kicks the relay and the deletion sweep. */
    public <T> Uni<T> commit(Supplier<Uni<T>> change) {
        return Panache.withTransaction(change).invoke(this::afterCommit);
    }

    /** Like {@link #commit}, from a worker thread: blocks until the transaction committed. */
    public <T> T commitAndWait(Supplier<Uni<T>> change) {
        T result = OnVertxContext.await(() -> Panache.withTransaction(change));
        afterCommit();
        return result;
    }

    private void afterCommit() {
        relay.publishSoon();
        fileDeletions.sweepSoon();
    }
}
