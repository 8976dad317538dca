package dev.videobackend.transcoder.job;

import io.quarkus.runtime.ShutdownEvent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The drain on shutdown, on {@link RunningJobs} alone: running jobs may finish, new ones wait and are handed back,
 * and whatever still runs when the drain ends is stopped as without one. The whole process, with a real job, Kafka
 * and a SIGTERM, is in {@code TranscoderRestartIT}.
 */
class JobDrainTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    @Test
    void aShutdownWaitsForTheRunningJobToSettleAndHandsBackAJobArrivingMeanwhile() throws InterruptedException {
        RunningJobs jobs = new JobsConfig(Duration.ofHours(1), Duration.ofHours(1), AWAIT).running(status -> { });
        JobRun running = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        running.beginAttempt(1);

        Thread shutdown = new Thread(() -> jobs.stop(new ShutdownEvent()), "shutdown");
        shutdown.start();
        Awaitility.await("drain waiting").atMost(AWAIT).until(() -> shutdown.getState() == Thread.State.TIMED_WAITING);
        CompletableFuture<JobRun> arriving = CompletableFuture.supplyAsync(() -> startUnchecked(jobs));
        Awaitility.await("arriving job held back").during(Duration.ofMillis(300)).atMost(AWAIT)
                .until(() -> !arriving.isDone() && shutdown.isAlive());

        jobs.finish(running);
        jobs.settle();

        shutdown.join(AWAIT.toMillis());
        assertThat(shutdown.isAlive()).as("shutdown over once the running job settled").isFalse();
        assertThat(running.stoppedForShutdown()).as("the drained job was left to finish").isFalse();
        assertThatThrownBy(arriving::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(JobHandedBack.class);
        assertThatThrownBy(() -> jobs.start(UUID.randomUUID(), JobsConfig.PARTITION)).isInstanceOf(JobHandedBack.class);
    }

    @Test
    void aJobStillRunningWhenTheDrainTimesOutIsStoppedForRedelivery() throws InterruptedException {
        RunningJobs jobs = new JobsConfig(Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofMillis(200)).running(status -> { });
        JobRun running = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        running.beginAttempt(1);

        jobs.stop(new ShutdownEvent());

        assertThat(running.stoppedForShutdown()).isTrue();
        assertThat(running.abortReason()).isNotNull();
    }

    @Test
    void withoutADrainAShutdownStopsTheRunningJobAtOnce() throws InterruptedException {
        RunningJobs jobs = new JobsConfig(Duration.ofHours(1), Duration.ofHours(1)).running(status -> { });
        JobRun running = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        running.beginAttempt(1);

        jobs.stop(new ShutdownEvent());

        assertThat(running.stoppedForShutdown()).isTrue();
    }

    private static JobRun startUnchecked(RunningJobs jobs) {
        try {
            return jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
