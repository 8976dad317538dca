package dev.videobackend.transcoder.job;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
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
 * The jobs running in this process, the partitions they come from, the jobs cancelled recently, the watchdog, and
 * the drain on shutdown. A job told to stop (cancelled, out of time, or handed back because its partition was
 * revoked) normally stops at the pipeline's next check; one that does not within the grace period is stuck in
 * native code, which no Java thread can interrupt: the watchdog then halts the process, so that the orchestrator
 * restarts it, the request is redelivered, and the attempt count ends the job as {@code POISON_INPUT}.
 */
@ApplicationScoped
class RunningJobs {

    /** Exit status of a halt by the watchdog (EX_SOFTWARE), so that it is recognisable in the pod's history. */
    static final int HALT_STATUS = 70;
    private static final Logger LOG = Logger.getLogger(RunningJobs.class);

    private final TranscoderConfig.Jobs config;
    private final Map<UUID, JobRun> running = new ConcurrentHashMap<>();
    /** The request partitions this instance's consumer owns; guarded by {@code this}. */
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Set<UUID> cancelled;
    private final IntConsumer halt;
    private ScheduledExecutorService watchdog;
    /** Guarded by {@code this}. */
    private Phase phase = Phase.TAKING_JOBS;
    /** Jobs started here whose final event is not on the broker yet; guarded by {@code this}. */
    private int unsettled;

    private enum Phase {
        TAKING_JOBS,
        /** Shutting down: running jobs may finish; a new one waits, and is handed back when the drain ends. */
        DRAINING,
        STOPPED
    }

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

    /**
     * A graceful stop (a deployment, a scale-in) first drains: for up to {@code drain-timeout} the running jobs go
     * on and send their final events, while no new job starts. Jobs still running then are stopped, so that they
     * are redelivered. Quarkus fires this event before it destroys the application's beans, which is when the Kafka
     * connector closes its consumers and producers: during the drain, final events are still sent, offsets
     * committed and cancels received, and the consumer keeps polling, so the group does not rebalance.
     */
    void stop(@Observes ShutdownEvent event) {
        drain(config.drainTimeout());
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        running.values().forEach(JobRun::stopForShutdown);
    }

    private synchronized void drain(Duration timeout) {
        phase = Phase.DRAINING;
        if (unsettled > 0 && !timeout.isZero()) {
            LOG.infof("Shutting down: waiting up to %.1f s for %d running job(s) to finish",
                    timeout.toMillis() / 1000.0, unsettled);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (long left = timeout.toNanos(); unsettled > 0 && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("The drain was interrupted; stopping the running jobs");
        }
        if (unsettled > 0 && !timeout.isZero()) {
            LOG.infof("%d job(s) still running after the drain; stopping them for redelivery", unsettled);
        }
        phase = Phase.STOPPED;
        notifyAll();
    }

    /**
     * Registers the job of a record from {@code partition} as running here. A redelivery of a job this process
     * still runs (its partition came back after a rebalance) waits for that run to end, then finds its outcome like
     * any redelivery. During a drain a new job waits without starting, holding its slot so that the consumer fetches
     * nothing more, and is handed back once the drain ends. A record of a partition revoked before its job started
     * is handed back at once.
     */
    synchronized JobRun start(UUID jobId, TopicPartition partition) throws InterruptedException {
        while (phase == Phase.DRAINING || phase == Phase.TAKING_JOBS && running.containsKey(jobId)) {
            wait();
        }
        if (phase == Phase.STOPPED) {
            throw JobHandedBack.arrivedDuringShutdown(jobId);
        }
        if (!assigned.contains(partition)) {
            throw JobHandedBack.byRevocation(jobId, partition, null);
        }
        JobRun run = new JobRun(jobId, partition, config);
        running.put(jobId, run);
        unsettled++;
        if (cancelled.contains(jobId)) {
            run.cancel();
        }
        return run;
    }

    /** The job's pipeline is over: a redelivery of it may start, and the watchdog no longer looks at it. */
    synchronized void finish(JobRun run) {
        running.remove(run.jobId(), run);
        notifyAll();
    }

    /** The job's final event is on the broker, or the job ended without one: a drain no longer waits for it. */
    synchronized void settle() {
        unsettled--;
        notifyAll();
    }

    /** Jobs whose pipeline runs now: the busy slots. */
    int runningCount() {
        return running.size();
    }

    synchronized int unsettled() {
        return unsettled;
    }

    /** The consumer was given these partitions (a start, or a rebalance). */
    synchronized void assigned(Collection<TopicPartition> partitions) {
        assigned.addAll(partitions);
    }

    /**
     * The consumer lost these partitions to a rebalance: every job of theirs that has not settled its outcome is
     * handed back, so that only the partitions' new owners publish them. This runs in the consumer's rebalance
     * callback and does not wait for the jobs to stop: once handed back, a job can no longer publish or report.
     */
    synchronized void revoked(Collection<TopicPartition> partitions) {
        assigned.removeAll(partitions);
        for (JobRun run : running.values()) {
            if (partitions.contains(run.partition()) && run.handBack()) {
                LOG.infof("Job %s (attempt %d) is handed back: its partition %s was revoked", run.jobId(),
                        run.attempt(), run.partition());
            }
        }
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
