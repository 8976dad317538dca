package dev.videobackend.transcoder.job;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog's decision, with the halt recorded instead of ending the JVM. No real FFmpeg call can be made to
 * ignore the abort signal honestly (the pipeline asks it between every packet and frame, and sources are regular
 * files only), so the stuck job here is a registered run that never finishes.
 */
class WatchdogTest {

    private final List<Integer> halts = new CopyOnWriteArrayList<>();
    private RunningJobs jobs;

    @AfterEach
    void stopWatchdog() {
        if (jobs != null) {
            jobs.stop(new ShutdownEvent());
        }
    }

    @Test
    void aCancelledJobStillRunningAfterTheGraceHaltsTheProcessWithStatus70() throws InterruptedException {
        jobs = watched(new JobsConfig(Duration.ofHours(1), Duration.ofMillis(200)));
        JobRun run = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        run.beginAttempt(1);

        jobs.cancel(run.jobId());

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !halts.isEmpty());
        assertThat(halts).containsOnly(RunningJobs.HALT_STATUS);
    }

    @Test
    void aHandedBackJobStillRunningAfterTheGraceHaltsTheProcess() throws InterruptedException {
        jobs = watched(new JobsConfig(Duration.ofHours(1), Duration.ofMillis(200)));
        JobRun run = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        run.beginAttempt(1);

        jobs.revoked(List.of(JobsConfig.PARTITION));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !halts.isEmpty());
        assertThat(halts).containsOnly(RunningJobs.HALT_STATUS);
    }

    @Test
    void aJobStillRunningAfterItsTimeBudgetAndTheGraceHaltsTheProcess() throws InterruptedException {
        jobs = watched(new JobsConfig(Duration.ofMillis(100), Duration.ofMillis(200)));
        JobRun run = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        run.beginAttempt(1);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !halts.isEmpty());
        assertThat(halts).containsOnly(RunningJobs.HALT_STATUS);
    }

    @Test
    void aJobThatStopsInTimeOrWasNeverToldToDoesNotHalt() throws InterruptedException {
        jobs = new JobsConfig(Duration.ofHours(1), Duration.ZERO).running(halts::add);
        JobRun working = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        working.beginAttempt(1);
        JobRun stopped = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        stopped.beginAttempt(1);
        jobs.cancel(stopped.jobId());
        jobs.finish(stopped);
        // Cancelled before decoding began: the job sees it before its first attempt, the watchdog leaves it be.
        JobRun notStarted = jobs.start(UUID.randomUUID(), JobsConfig.PARTITION);
        jobs.cancel(notStarted.jobId());


        // No grace at all: only a job told to stop, still running and past its first attempt's start counts.
        jobs.haltIfStuck();

        assertThat(halts).isEmpty();
    }

    /** A watchdog running as in the service, checking every second. */
    private RunningJobs watched(JobsConfig config) {
        RunningJobs watched = config.running(halts::add);
        watched.startWatchdog(new StartupEvent(), 1);
        return watched;
    }
}
