package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.transcode.FailureCode;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fence between a rebalance and a job's outcome, on {@link RunningJobs} alone: a job of a revoked partition stops
 * and can no longer publish or report, a job that settled first keeps its outcome, and jobs of other partitions are
 * left alone. Two real transcoders and a real rebalance are in {@code TranscoderRebalanceIT}.
 */
class JobHandBackTest {

    private static final TopicPartition OTHER = new TopicPartition(JobsConfig.PARTITION.topic(), 1);

    private final RunningJobs jobs = new JobsConfig(Duration.ofHours(1), Duration.ofHours(1)).running(status -> { });

    @Test
    void aJobOfARevokedPartitionStopsAndCanNoLongerPublish() throws Exception {
        jobs.assigned(List.of(OTHER));
        JobRun revoked = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        revoked.beginAttempt(1);
        JobRun kept = jobs.start(UUID.randomUUID(), OTHER);
        kept.beginAttempt(1);

        jobs.revoked(List.of(JobsConfig.PARTITION));

        assertThat(revoked.abortReason()).isNotNull()
                .satisfies(reason -> assertThat(reason.code()).isEqualTo(FailureCode.INTERNAL))
                .hasMessage("The job's partition was revoked");
        assertThat(revoked.handedBack()).isTrue();
        AtomicBoolean published = new AtomicBoolean();
        assertThat(revoked.settle(() -> {
            published.set(true);
            return true;
        })).isEmpty();
        assertThat(published).isFalse();
        assertThat(kept.abortReason()).isNull();
        assertThat(kept.settle(() -> "settled")).contains("settled");
    }

    @Test
    void aJobThatSettledBeforeTheRevocationKeepsItsOutcome() throws Exception {
        JobRun run = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        run.beginAttempt(1);
        assertThat(run.settle(() -> "settled")).contains("settled");

        jobs.revoked(List.of(JobsConfig.PARTITION));

        assertThat(run.handedBack()).isFalse();
        assertThat(run.abortReason()).isNull();
    }

    @Test
    void aRecordOfARevokedPartitionIsHandedBackBeforeItsJobStarts() throws InterruptedException {
        jobs.revoked(List.of(JobsConfig.PARTITION));

        assertThatThrownBy(() -> jobs.start(UUID.randomUUID(), JobsConfig.PARTITION))
                .isInstanceOf(JobHandedBack.class).hasMessageContaining("its partition " + JobsConfig.PARTITION
                        + " was revoked");

        jobs.assigned(List.of(JobsConfig.PARTITION));
        assertThat(jobs.start(UUID.randomUUID(), JobsConfig.PARTITION).abortReason()).isNull();
    }

    @Test
    void aSettlementThatFailsSettlesNothing() {
        JobRun run = startUnchecked();

        assertThatThrownBy(() -> run.settle(() -> {
            throw new IOException("disk full");
        })).hasMessage("disk full");

        jobs.revoked(List.of(JobsConfig.PARTITION));
        assertThat(run.handedBack()).isTrue();
    }

    private JobRun startUnchecked() {
        try {
            return jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
