package dev.videobackend.catalog.media;

import dev.videobackend.catalog.vertx.OnVertxContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.time.Duration;
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
    private final MediaConfig config;
    private final AtomicBoolean passRequested = new AtomicBoolean();
    private final ReentrantLock passing = new ReentrantLock();
    /** Runs before each removal; tests make removals fail through it. */
    private volatile Consumer<String> beforeRemoval = path -> { };

    FileDeletions(MediaStorage storage, MediaConfig config) {
        this.storage = storage;
        this.config = config;
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
            row.nextAttemptAt = now.plus(backoff(1));
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
     * Tries pending removals that are due, a batch per pass: those never tried first, then the least recently
     * tried, so that removals that keep failing do not hold back new ones; a failed one waits out its back-off.
     * Passes never overlap; one asked for during a pass runs after it, so that nothing recorded meanwhile waits for
     * the next scheduled sweep.
     */
    public void sweep() {
        passRequested.set(true);
        while (passRequested.get() && passing.tryLock()) {
            try {
                passRequested.set(false);
                List<FileDeletion> pending = OnVertxContext.await(() -> Panache.withSession(() -> FileDeletion
                        .<FileDeletion>find("nextAttemptAt is null or nextAttemptAt <= ?1"
                                + " order by lastAttemptAt nulls first, requestedAt, id", now())
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
            Instant now = now();
            Duration wait = backoff(row.attempts + 1);
            Instant next = now.plus(wait);
            LOG.warnf(e, "Could not remove %s (attempt %d); it stays queued and is tried again in %s", row.path,
                    row.attempts + 1, wait);
            OnVertxContext.await(() -> Panache.withTransaction(() -> failed(row.id, now, next, e)));
            return;
        }
        OnVertxContext.await(() -> Panache.withTransaction(() -> FileDeletion.delete("id", row.id)));
    }

    private void remove(String path) {
        beforeRemoval.accept(path);
        storage.removeTree(path);
    }

    private static Uni<Void> failed(UUID id, Instant now, Instant next, RuntimeException failure) {
        return FileDeletion.update("attempts = attempts + 1, lastAttemptAt = ?1, nextAttemptAt = ?2, lastError = ?3"
                + " where id = ?4", now, next, reason(failure), id).replaceWithVoid();
    }

    /** The wait after the {@code attempts}-th failure: the back-off, doubled for each failure before, capped. */
    Duration backoff(int attempts) {
        Duration max = config.deletionRetryMaxBackoff();
        Duration wait = config.deletionRetryBackoff();
        for (int i = 1; i < attempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) < 0 ? wait : max;
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
