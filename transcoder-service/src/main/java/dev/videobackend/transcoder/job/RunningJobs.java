package dev.videobackend.transcoder.job;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The jobs running in this process, the jobs cancelled recently, and the watchdog. A job told to stop (cancelled,
 * or out of time) normally stops at the pipeline's next check; one that does not within the grace period is stuck
 * in native code, which no Java thread can interrupt: the watchdog then halts the process, so that the orchestrator
 * restarts it, the request is redelivered, and the attempt count ends the job as {@code POISON_INPUT}.
 */
@ApplicationScoped
class RunningJobs {

    /** Exit status of a halt by the watchdog (EX_SOFTWARE), so that it is recognisable in the pod's history. */
    static final int HALT_STATUS = 70;
    private static final Logger LOG = Logger.getLogger(RunningJobs.class);

    private final TranscoderConfig.Jobs config;
    private final Map<UUID, JobRun> running = new ConcurrentHashMap<>();
    private final Set<UUID> cancelled;
    private final IntConsumer halt;
    private ScheduledExecutorService watchdog;

    @Inject
    RunningJobs(TranscoderConfig config) {
        this(config.jobs(), Runtime.getRuntime()::halt);
    }

    /** {@code halt} ends the process with the given status; only a test passes anything but {@link Runtime#halt}. */
    RunningJobs(TranscoderConfig.Jobs config, IntConsumer halt) {
        this.config = config;
        this.halt = halt;
        int remembered = this.config.cancelledJobsRemembered();
        this.cancelled = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                return size() > remembered;
            }
        }));
    }

    void startWatchdog(@Observes StartupEvent event,
            @ConfigProperty(name = JobSlotsDefault.PROPERTY) int slots) {
        LOG.infof("Running up to %d jobs at once; a job stuck %d s past its stop is halted with the process",
                slots, config.haltGrace().toSeconds());
        watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "transcode-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.scheduleWithFixedDelay(this::haltIfStuck, 1, 1, TimeUnit.SECONDS);
    }

    /** A graceful stop (a deployment, a scale-down) stops the running jobs, so that they are redelivered. */
    void stop(@Observes ShutdownEvent event) {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        running.values().forEach(JobRun::stopForShutdown);
    }

    /**
     * Registers the job as running here. A redelivery of a job this process still runs (its partition came back
     * after a rebalance) waits for that run to end, then finds its outcome like any redelivery.
     */
    synchronized JobRun start(UUID jobId) throws InterruptedException {
        while (running.containsKey(jobId)) {
            wait();
        }
        JobRun run = new JobRun(jobId, config);
        running.put(jobId, run);
        if (cancelled.contains(jobId)) {
            run.cancel();
        }
        return run;
    }

    synchronized void finish(JobRun run) {
        running.remove(run.jobId(), run);
        notifyAll();
    }

    boolean isCancelled(UUID jobId) {
        return cancelled.contains(jobId);
    }

    /** Remembers the cancel and stops the job if it runs here. */
    void cancel(UUID jobId) {
        cancelled.add(jobId);
        JobRun run = running.get(jobId);
        if (run != null) {
            run.cancel();
        }
    }

    void haltIfStuck() {
        Duration grace = config.haltGrace();
        long now = System.nanoTime();
        for (JobRun run : running.values()) {
            if (run.stuckLongerThan(grace, now)) {
                LOG.fatalf("Job %s (attempt %d) has not stopped %d s after it was told to: its thread is stuck in"
                        + " native code. Halting the process; the redelivered request counts the attempt.",
                        run.jobId(), run.attempt(), grace.toSeconds());
                halt.accept(HALT_STATUS);
            }
        }
    }
}
