package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.stack.faults.FaultStack.Upload;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 2 of issue 16: the Kafka broker stopped while jobs run, for longer than the producers' default
 * {@code delivery.timeout.ms} (120 s), and started again on its data and port. Uploads are acknowledged all along
 * (their requests wait in the outbox), everything drains once the broker is back, nothing is lost or applied twice.
 */
class KafkaOutageFaultIT {

    private static final Duration OUTAGE = Duration.ofSeconds(150);
    private static final int BEFORE = 4;
    private static final int DURING = 4;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void uploadsAreAcceptedDuringABrokerOutageAndEverythingDrainsOnceAfterIt() throws Exception {
        try (FaultStack stack = FaultStack.start(data, Map.of())) {
            Path clip = stack.clip(4.0);
            List<Upload> uploads = new ArrayList<>();
            Verdicts.Baseline baseline = stack.warmUp(clip, uploads);
            for (int i = 1; i <= BEFORE; i++) {
                uploads.add(stack.upload("before " + i, clip));
            }
            stack.awaitEncoding(uploads);

            stack.stack().stopKafka();
            long stopped = System.nanoTime();
            for (int i = 1; i <= DURING; i++) {
                uploads.add(stack.upload("during " + i, clip));
            }
            assertThat(stack.catalogReadiness()).as("the catalog stays ready without Kafka").isEqualTo(200);
            Duration rest = OUTAGE.minus(Duration.ofNanos(System.nanoTime() - stopped));
            Awaitility.await("catalog ready for the whole outage").during(rest).atMost(rest.plusSeconds(30))
                    .pollInterval(Duration.ofSeconds(2)).until(() -> stack.catalogReadiness() == 200);
            stack.stack().startKafka();
            long started = System.nanoTime();

            Map<String, JsonNode> settled = stack.awaitSettled(uploads, Duration.ofMinutes(30));
            System.out.printf("[faults] scenario 2: outage %d s, %d uploads acknowledged during it; all %d settled"
                    + " %d s after the broker returned%n", OUTAGE.toSeconds(), DURING, uploads.size(),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
            Verdicts.everyUploadSettled(settled, Set.of());
            Verdicts.oneOutcomePerJob(stack, uploads);
            Verdicts.oneOutcomeApplied(stack, uploads);
            assertThat(stack.stack().catalog().restarts() + stack.stack().transcoder().restarts())
                    .as("no service crashed").isZero();
            Verdicts.nothingOrphaned(stack, uploads, settled);
            Verdicts.backToBaseline(stack, baseline, "scenario 2");
        }
    }
}
