package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.FreePort;
import dev.videobackend.stack.ServiceProcess;
import dev.videobackend.stack.faults.FaultStack.Upload;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 7 of issue 16, scaled to two shared cores: a backlog of 40 queued jobs drained while the transcoders go
 * 1 → 2 (a scale-out) → 1 (a graceful scale-in of the added one, which hands its running job back): every job READY
 * with exactly one outcome; the drain time and each replica's share are reported.
 */
class BacklogScaleFaultIT {

    private static final int JOBS = 40;

    @TempDir
    Path data;

    @Test
    void aBacklogDrainsOnceWhileTranscodersScaleOutAndIn() throws Exception {
        try (FaultStack stack = FaultStack.start(data, Map.of())) {
            Path clip = stack.clip(4.0);
            List<Upload> uploads = new ArrayList<>();
            for (int i = 1; i <= JOBS; i++) {
                uploads.add(stack.upload("backlog " + i, clip));
            }
            long queued = System.nanoTime();
            awaitReady(stack, uploads, JOBS / 8);
            ServiceProcess second = stack.stack().addTranscoder("transcoder-2", FreePort.find());
            long scaledOut = System.nanoTime();
            Awaitility.await("the added replica transcoding").atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> FaultStack.transcodedBy(second.log()).size() >= 3);
            awaitReady(stack, uploads, JOBS * 5 / 8);
            second.close();
            long scaledIn = System.nanoTime();

            Map<String, JsonNode> settled = stack.awaitSettled(uploads, Duration.ofMinutes(30));
            long drained = System.nanoTime();
            Set<String> first = FaultStack.transcodedBy(stack.stack().logDirectory().resolve("transcoder.log"));
            Set<String> other = FaultStack.transcodedBy(second.log());
            Set<String> both = new HashSet<>(first);
            both.retainAll(other);
            System.out.printf("[faults] scenario 7: %d queued jobs drained in %.0f s (scale-out at %.0f s, scale-in at"
                            + " %.0f s); transcoded by transcoder %d, by transcoder-2 %d, by both %d%n", JOBS,
                    (drained - queued) / 1e9, (scaledOut - queued) / 1e9, (scaledIn - queued) / 1e9, first.size(),
                    other.size(), both.size());
            Verdicts.everyUploadSettled(settled, Set.of());
            Verdicts.oneOutcomePerJob(stack, uploads);
            Verdicts.oneOutcomeApplied(stack, uploads);
            Verdicts.nothingOrphaned(stack, uploads, settled);
            assertThat(other).as("the added replica took jobs").isNotEmpty();
        }
    }

    private static void awaitReady(FaultStack stack, List<Upload> uploads, int count) {
        Awaitility.await(count + " jobs READY").atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(2))
                .until(() -> uploads.stream().filter(upload -> "READY".equals(
                        stack.video(upload.videoId()).get("status").asText())).count() >= count);
    }
}
