package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.transcode.AbortSignal;
import dev.videobackend.transcoder.transcode.FailureCode;
import dev.videobackend.transcoder.transcode.TranscodeFailure;
import dev.videobackend.transcoder.transcode.Workload;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * One running job as the pipeline's {@link AbortSignal} sees it: stopped by a cancel, once its time budget (the work
 * asked at a minimum pace, known once the source is probed; see {@link #plan}) is spent, by a shutdown, or when its
 * partition is revoked. A revoked job is handed back: it ends without an event, and the consumer the partition went
 * to runs it. {@link #settle} fences the two: once a job has settled its outcome (published its output, or decided
 * on a failure), a revocation no longer stops it; once it is handed back, it can no longer settle, so it never
 * publishes beside the new owner.
 */
final class JobRun implements AbortSignal {

    private static final long NOT_REQUESTED = Long.MIN_VALUE;

    private final UUID jobId;
    private final TopicPartition partition;
    private final Duration floor;
    private final double pixelsPerSecond;
    private volatile int attempt;
    private volatile long startNanos;
    private volatile long deadlineNanos;
    private volatile Duration budget;
    /** How the budget came about, for the failure's message. */
    private volatile String budgetBasis = "";
    private volatile long cancelledAtNanos = NOT_REQUESTED;
    private volatile long handedBackAtNanos = NOT_REQUESTED;
    private volatile boolean shuttingDown;
    /** Guarded by {@code this}. */
    private boolean settled;

    /** What a job does to settle its outcome, inside the fence (publishing is one rename), and what it found. */
    @FunctionalInterface
    interface Settlement<T> {
        T run() throws IOException;
    }

    JobRun(UUID jobId, TopicPartition partition, TranscoderConfig.Jobs config) {
        this.jobId = jobId;
        this.partition = partition;
        this.floor = config.timeBudgetFloor();
        this.pixelsPerSecond = config.timeBudgetMegapixelsPerSecond() * 1e6;
    }

    /** Decoding starts now, and with it the time budget: the floor, until the work is known. */
    void beginAttempt(int attempt) {
        this.attempt = attempt;
        this.startNanos = System.nanoTime();
        setBudget(floor);
    }

    UUID jobId() {
        return jobId;
    }

    TopicPartition partition() {
        return partition;
    }

    int attempt() {
        return attempt;
    }

    Duration budget() {
        return budget;
    }

    @Override
    public TranscodeFailure abortReason() {
        if (shuttingDown) {
            return new TranscodeFailure(FailureCode.INTERNAL, "The transcoder is shutting down");
        }
        if (handedBackAtNanos != NOT_REQUESTED) {
            return new TranscodeFailure(FailureCode.INTERNAL, "The job's partition was revoked");
        }
        if (cancelledAtNanos != NOT_REQUESTED) {
            return new TranscodeFailure(FailureCode.CANCELLED, "The job was cancelled; its partial output was removed");
        }
        if (attempt > 0 && System.nanoTime() - deadlineNanos > 0) {
            return new TranscodeFailure(FailureCode.TIMED_OUT, "The job ran longer than its time budget of "
                    + budget.toSeconds() + " s" + budgetBasis + " and was stopped");
        }
        return null;
    }

    void cancel() {
        if (cancelledAtNanos == NOT_REQUESTED) {
            cancelledAtNanos = System.nanoTime();
        }
    }

    /** The process is stopping: the job stops too, and is redelivered without counting as an attempt. */
    void stopForShutdown() {
        shuttingDown = true;
    }

    boolean stoppedForShutdown() {
        return shuttingDown;
    }

    /**
     * The job's partition was revoked: unless the job has settled its outcome, it stops, and ends without one.
     * Returns whether it was handed back.
     */
    synchronized boolean handBack() {
        if (settled) {
            return false;
        }
        if (handedBackAtNanos == NOT_REQUESTED) {
            handedBackAtNanos = System.nanoTime();
        }
        return true;
    }

    /** Whether the job ends without an outcome here: handed back, or stopped by a shutdown. */
    boolean handedBack() {
        return handedBackAtNanos != NOT_REQUESTED || shuttingDown;
    }

    /**
     * Runs {@code settlement} and settles the job's outcome, unless it was handed back first: then runs nothing and
     * returns empty. A settlement that throws settles nothing.
     */
    synchronized <T> Optional<T> settle(Settlement<T> settlement) throws IOException {
        if (handedBack()) {
            return Optional.empty();
        }
        T result = settlement.run();
        settled = true;
        return Optional.of(result);
    }

    /**
     * The work is known: the budget becomes the time its pixels take at the slowest pace allowed
     * ({@code time-budget-megapixels-per-second}), and never less than {@code time-budget-floor}.
     */
    void plan(Workload workload) {
        double pixels = workload.pixelsToEncode();
        Duration forTheWork = Duration.ofMillis(Math.round(1000 * pixels / pixelsPerSecond));
        if (forTheWork.compareTo(floor) > 0) {
            budgetBasis = String.format(Locale.ROOT, " (%.0f megapixels to encode: %d rungs of %d frames, at %.0f "
                    + "megapixels per second)", pixels / 1e6, workload.rungs().size(), workload.framesPerRung(),
                    pixelsPerSecond / 1e6);
            setBudget(forTheWork);
        }
    }

    /**
     * Whether the job has ignored a stop for longer than {@code grace}: it was cancelled or handed back, or ran past
     * its budget, that long ago and is still running, so its thread is stuck where the abort signal is never asked.
     */
    boolean stuckLongerThan(Duration grace, long nowNanos) {
        if (attempt == 0) {
            return false;
        }
        long stopSince = earlier(earlier(deadlineNanos, cancelledAtNanos), handedBackAtNanos);
        return nowNanos - stopSince - grace.toNanos() > 0;
    }

    private static long earlier(long stopNanos, long requestedAtNanos) {
        return requestedAtNanos != NOT_REQUESTED && requestedAtNanos - stopNanos < 0 ? requestedAtNanos : stopNanos;
    }

    private void setBudget(Duration budget) {
        this.budget = budget;
        this.deadlineNanos = startNanos + budget.toNanos();
    }
}
