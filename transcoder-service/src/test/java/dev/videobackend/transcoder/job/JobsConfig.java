package dev.videobackend.transcoder.job;

import java.time.Duration;

/** The job settings a test of {@link RunningJobs} varies; the rest as the defaults have them. */
record JobsConfig(Duration timeBudgetBase, Duration haltGrace, Duration drainTimeout)
        implements TranscoderConfig.Jobs {

    /** No drain: a shutdown stops the running jobs at once. */
    JobsConfig(Duration timeBudgetBase, Duration haltGrace) {
        this(timeBudgetBase, haltGrace, Duration.ZERO);
    }

    @Override
    public int maxAttempts() {
        return 3;
    }

    @Override
    public double timeBudgetPerSourceSecond() {
        return 0;
    }

    @Override
    public int cancelledJobsRemembered() {
        return 100;
    }
}
