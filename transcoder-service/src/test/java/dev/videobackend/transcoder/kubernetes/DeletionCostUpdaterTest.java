package dev.videobackend.transcoder.kubernetes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class DeletionCostUpdaterTest {

    private final AtomicInteger jobsInHand = new AtomicInteger();
    private final AtomicBoolean apiDown = new AtomicBoolean();
    private final List<Integer> writes = new ArrayList<>();
    private final DeletionCostUpdater updater = new DeletionCostUpdater(jobsInHand::get, cost -> {
        if (apiDown.get()) {
            throw new IOException("connection refused");
        }
        writes.add(cost);
    }, Duration.ofSeconds(2));

    @Test
    void writesAtTheFirstCheckAndAtEveryChangeOnly() {
        updater.check();
        updater.check();
        jobsInHand.set(1);
        updater.check();
        updater.check();
        jobsInHand.set(0);
        updater.check();

        assertThat(writes).containsExactly(0, 1, 0);
    }

    @Test
    void aFailedWriteIsRetriedAtTheNextCheck() {
        updater.check();
        apiDown.set(true);
        jobsInHand.set(1);
        updater.check();
        updater.check();
        assertThat(updater.written()).isZero();

        apiDown.set(false);
        updater.check();

        assertThat(writes).containsExactly(0, 1);
        assertThat(updater.written()).isEqualTo(1);
    }
}
