package dev.videobackend.catalog.media;

import dev.videobackend.catalog.vertx.OnVertxContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Reliable removal of stored files, as the outbox makes events reliable: the paths are recorded in the transaction
 * that stops referencing them ({@link #record}), and removed after it commits, right away in the background
 * ({@link #sweepSoon}, which {@code Transactions} calls after every commit) or by the periodic sweep. A row goes only once its path is
 * gone; a removal that fails keeps its row, with the attempt count and the error, and is tried again.
 */
@ApplicationScoped
public class FileDeletions {

    private static final Logger LOG = Logger.getLogger(FileDeletions.class);
    private static final int BATCH_SIZE = 100;

    private final MediaStorage storage;
    private final AtomicBoolean passRequested = new AtomicBoolean();
    private final ReentrantLock passing = new ReentrantLock();
    /** Runs before each removal; tests make removals fail through it. */
    private volatile Consumer<String> beforeRemoval = path -> { };

    FileDeletions(MediaStorage storage) {
        this.storage = storage;
    }

    /** Records paths (relative to the media root) to remove, in the caller's transaction. */
    public static Uni<Void> record(List<String> paths) {
        if (paths.isEmpty()) {
            // Panache refuses to persist an empty list.
            return Uni.createFrom().voidItem();
        }
        Instant now = now();
        return FileDeletion.persist(paths.stream().map(path -> row(path, now)).toList());
    }

    /**
     * Removes a file that no row references, such as a refused upload, at once; if that fails, it is recorded
     * for the sweep. Blocking: for worker threads.
     */
    public void removeUnreferenced(String path) {
        try {
            remove(path);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not remove %s; it stays queued for the next sweep", path);
            Instant now = now();
            FileDeletion row = row(path, now);
            row.attempts = 1;
            row.lastAttemptAt = now;
            row.lastError = reason(e);
            OnVertxContext.await(() -> Panache.withTransaction(row::persist));
        }
    }

    /** Removes recorded paths; what fails stays pending for the next sweep. Blocking. */
    private void attempt(List<FileDeletion> rows) {
        for (FileDeletion row : rows) {
            try {
                attempt(row);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not settle the removal of %s; the next sweep tries again", row.path);
            }
        }
    }

    /** Starts a pass over everything pending now, off the caller's thread, for removals just committed. */
    public void sweepSoon() {
        Infrastructure.getDefaultWorkerPool().execute(this::sweep);
    }

    @Scheduled(every = "${catalog.media.deletion-sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSweep() {
        sweep();
    }

    /**
     * Tries pending removals, a batch per pass: those never tried first, then the least recently tried, so that
     * removals that keep failing do not hold back new ones. Passes never overlap; one asked for during a pass runs
     * after it, so that nothing recorded meanwhile waits for the next scheduled sweep.
     */
    public void sweep() {
        passRequested.set(true);
        while (passRequested.get() && passing.tryLock()) {
            try {
                passRequested.set(false);
                List<FileDeletion> pending = OnVertxContext.await(() -> Panache.withSession(() -> FileDeletion
                        .<FileDeletion>find("order by lastAttemptAt nulls first, requestedAt, id")
                        .page(0, BATCH_SIZE).list()));
                attempt(pending);
            } catch (RuntimeException e) {
                LOG.warnf(e, "File deletion sweep failed; pending removals wait for the next one");
            } finally {
                passing.unlock();
            }
        }
    }

    /** Makes each removal run {@code hook} first (null: nothing); it fails the removal by throwing. */
    void beforeRemoval(Consumer<String> hook) {
        beforeRemoval = hook == null ? path -> { } : hook;
    }

    private void attempt(FileDeletion row) {
        try {
            remove(row.path);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not remove %s (attempt %d); it stays queued for the next sweep", row.path,
                    row.attempts + 1);
            OnVertxContext.await(() -> Panache.withTransaction(() -> failed(row.id, e)));
            return;
        }
        OnVertxContext.await(() -> Panache.withTransaction(() -> FileDeletion.delete("id", row.id)));
    }

    private void remove(String path) {
        beforeRemoval.accept(path);
        storage.removeTree(path);
    }

    private static Uni<Void> failed(UUID id, RuntimeException failure) {
        return FileDeletion.update("attempts = attempts + 1, lastAttemptAt = ?1, lastError = ?2 where id = ?3",
                now(), reason(failure), id).replaceWithVoid();
    }

    /** The I/O error itself when there is one: the wrapper only repeats the path. */
    private static String reason(RuntimeException failure) {
        return failure instanceof UncheckedIOException io ? io.getCause().toString() : failure.toString();
    }

    private static FileDeletion row(String path, Instant now) {
        FileDeletion row = new FileDeletion();
        row.id = UUID.randomUUID();
        row.path = path;
        row.requestedAt = now;
        return row;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
