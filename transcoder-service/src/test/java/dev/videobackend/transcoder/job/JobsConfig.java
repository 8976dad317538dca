package dev.videobackend.transcoder.job;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;

/** The job settings a test of {@link RunningJobs} varies; the rest as the defaults have them. */
record JobsConfig(Duration timeBudgetFloor, Duration haltGrace, Duration drainTimeout)
        implements TranscoderConfig.Jobs {

    /** The partition the tests' jobs come from. */
    static final TopicPartition PARTITION = new TopicPartition("video.transcode.requests", 0);

    /** No drain: a shutdown stops the running jobs at once. */
    JobsConfig(Duration timeBudgetFloor, Duration haltGrace) {
        this(timeBudgetFloor, haltGrace, Duration.ZERO);
    }

    /** Running jobs with these settings, whose consumer owns {@link #PARTITION}; {@code halt} instead of halting. */
    RunningJobs running(IntConsumer halt) {
        RunningJobs jobs = new RunningJobs(this, halt);
        jobs.assigned(List.of(PARTITION));
        return jobs;
    }

    @Override
    public int maxAttempts() {
        return 3;
    }

    @Override
    public double timeBudgetMegapixelsPerSecond() {
        return 20;
    }

    @Override
    public int cancelledJobsRemembered() {
        return 100;
    }
}
