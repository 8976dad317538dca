package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.transcode.AbortSignal;
import dev.videobackend.transcoder.transcode.FailureCode;
import dev.videobackend.transcoder.transcode.LadderTranscoder;
import dev.videobackend.transcoder.transcode.TranscodeFailure;

import java.time.Duration;
import java.util.UUID;

/**
 * One running job as the pipeline's {@link AbortSignal} sees it: stopped by a cancel, or once its time budget
 * (a base plus a share per source second, known once encoding reports progress) is spent.
 */
final class JobRun implements AbortSignal {

    private static final long NOT_REQUESTED = Long.MIN_VALUE;

    private final UUID jobId;
    private final Duration base;
    private final double perSourceSecond;
    private volatile int attempt;
    private volatile long startNanos;
    private volatile long deadlineNanos;
    private volatile Duration budget;
    private volatile boolean sourceDurationKnown;
    private volatile long cancelledAtNanos = NOT_REQUESTED;
    private volatile boolean shuttingDown;

    JobRun(UUID jobId, TranscoderConfig.Jobs config) {
        this.jobId = jobId;
        this.base = config.timeBudgetBase();
        this.perSourceSecond = config.timeBudgetPerSourceSecond();
    }

    /** Decoding starts now, and with it the time budget. */
    void beginAttempt(int attempt) {
        this.attempt = attempt;
        this.startNanos = System.nanoTime();
        setBudget(base);
    }

    UUID jobId() {
        return jobId;
    }

    int attempt() {
        return attempt;
    }

    @Override
    public TranscodeFailure abortReason() {
        if (shuttingDown) {
            return new TranscodeFailure(FailureCode.INTERNAL, "The transcoder is shutting down");
        }
        if (cancelledAtNanos != NOT_REQUESTED) {
            return new TranscodeFailure(FailureCode.CANCELLED, "The job was cancelled; its partial output was removed");
        }
        if (attempt > 0 && System.nanoTime() - deadlineNanos > 0) {
            return new TranscodeFailure(FailureCode.TIMED_OUT, "The job ran longer than its time budget of "
                    + budget.toSeconds() + " s and was stopped");
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

    /** The first progress after probing tells the source duration, and with it the job's whole budget. */
    void observe(LadderTranscoder.Progress progress) {
        if (sourceDurationKnown || progress.sourceDurationSeconds() <= 0) {
            return;
        }
        sourceDurationKnown = true;
        setBudget(base.plusMillis(Math.round(1000 * perSourceSecond * progress.sourceDurationSeconds())));
    }

    /**
     * Whether the job has ignored a stop for longer than {@code grace}: it was cancelled, or ran past its budget,
     * that long ago and is still running, so its thread is stuck where the abort signal is never asked.
     */
    boolean stuckLongerThan(Duration grace, long nowNanos) {
        if (attempt == 0) {
            return false;
        }
        long stopSince = cancelledAtNanos != NOT_REQUESTED && cancelledAtNanos - deadlineNanos < 0
                ? cancelledAtNanos : deadlineNanos;
        return nowNanos - stopSince - grace.toNanos() > 0;
    }

    private void setBudget(Duration budget) {
        this.budget = budget;
        this.deadlineNanos = startNanos + budget.toNanos();
    }
}
