package dev.videobackend.transcoder.kubernetes;

import dev.videobackend.transcoder.job.TranscodeJobs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this pod's {@code controller.kubernetes.io/pod-deletion-cost} at its number of jobs in hand (0 when idle):
 * when KEDA scales the transcoders in, the ReplicaSet controller removes the pods of lowest cost first, so idle
 * transcoders go before busy ones and fewer jobs are drained and handed back. Best effort: a write that fails is
 * retried, and a busy pod chosen anyway still drains its job (docs/deploy.md).
 */
@ApplicationScoped
class PodDeletionCost {

    private static final Logger LOG = Logger.getLogger(PodDeletionCost.class);

    private final PodDeletionCostConfig config;
    private final TranscodeJobs jobs;
    private ScheduledExecutorService scheduler;

    PodDeletionCost(PodDeletionCostConfig config, TranscodeJobs jobs) {
        this.config = config;
        this.jobs = jobs;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        PodDeletionCostClient client = PodDeletionCostClient.of(config);
        DeletionCostUpdater updater = new DeletionCostUpdater(jobs::jobsInHand, client::set, config.checkInterval());
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pod-deletion-cost");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(updater::check, 0, config.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("Keeping %s on %s at this transcoder's jobs in hand", PodDeletionCostClient.ANNOTATION, client.pod());
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
