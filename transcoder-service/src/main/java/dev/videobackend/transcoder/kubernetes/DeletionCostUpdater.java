package dev.videobackend.transcoder.kubernetes;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Brings the pod's deletion cost in line with the jobs in hand: written at the first check and at every change,
 * never again while it stays the same (the ReplicaSet controller reads it only on a scale-in, and the API server
 * should not carry a write per check). A failed write is retried at the next check; the first failure of a run of
 * them is logged with its cause, the end of the run too.
 */
final class DeletionCostUpdater {

    /** The write itself: {@link PodDeletionCostClient#set}, or a test's stand-in. */
    @FunctionalInterface
    interface CostWriter {
        void set(int cost) throws IOException, InterruptedException;
    }

    private static final Logger LOG = Logger.getLogger(DeletionCostUpdater.class);

    private final IntSupplier jobsInHand;
    private final CostWriter writer;
    private final Duration checkInterval;
    /** The cost last written, or -1 before the first write. */
    private int written = -1;
    private boolean failing;

    DeletionCostUpdater(IntSupplier jobsInHand, CostWriter writer, Duration checkInterval) {
        this.jobsInHand = jobsInHand;
        this.writer = writer;
        this.checkInterval = checkInterval;
    }

    /** One check; called from a single scheduler thread. */
    void check() {
        int cost = jobsInHand.getAsInt();
        if (cost == written) {
            return;
        }
        try {
            writer.set(cost);
            written = cost;
            if (failing) {
                LOG.infof("Pod deletion cost written again (%d); scale-ins prefer idle transcoders", cost);
                failing = false;
            }
        } catch (IOException e) {
            if (!failing) {
                LOG.warnf(e, "Could not write the pod deletion cost (%d); retrying every %d ms. Until it is written,"
                        + " a scale-in may stop this transcoder while it is busy (its job then drains, then is"
                        + " handed back)", cost, checkInterval.toMillis());
                failing = true;
            } else {
                LOG.debugf(e, "The pod deletion cost (%d) still cannot be written", cost);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int written() {
        return written;
    }
}
