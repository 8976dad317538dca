package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.FreePort;
import dev.videobackend.stack.ServiceProcess;
import dev.videobackend.stack.faults.FaultStack.Upload;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
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
 * Scenario 7 of issue 16: a backlog of queued jobs of a short clip drained while the transcoders go 1 → 2 (a
 * scale-out once an eighth is READY) → 1 (a graceful scale-in of the added one, once five eighths are, which hands its
 * running job back): every job READY with exactly one outcome, both transcoders back to their baseline; the drain time
 * and each replica's share are reported. 40 jobs of a 4 s clip by default, scaled to two shared cores; the issue's
 * 1,000 jobs of a 2 s clip with {@code -Dfaults.full=true}; any number with {@code -Dfaults.backlog.jobs=n}.
 */
class BacklogScaleFaultIT {

    private static final int JOBS = FaultStack.size("faults.backlog.jobs", 40, 1000);
    /** A few minutes for the stages that do not depend on the size, and about 3 s a job (on a loaded machine) more. */
    private static final Duration DRAIN = Duration.ofMinutes(20).plusSeconds(3L * JOBS);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void aBacklogDrainsOnceWhileTranscodersScaleOutAndIn() throws Exception {
        try (FaultStack stack = FaultStack.start(data, Map.of())) {
            Path clip = stack.clip(FaultStack.FULL ? 2.0 : 4.0);
            List<Upload> warmUp = new ArrayList<>();
            Verdicts.Baseline baseline = stack.warmUp(clip, warmUp);
            List<Upload> uploads = new ArrayList<>();
            long began = System.nanoTime();
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

            List<Upload> all = new ArrayList<>(warmUp);
            all.addAll(uploads);
            Map<String, JsonNode> settled = stack.awaitSettled(all, DRAIN);
            long drained = System.nanoTime();
            Set<String> first = FaultStack.transcodedBy(stack.stack().logDirectory().resolve("transcoder.log"));
            Set<String> other = FaultStack.transcodedBy(second.log());
            Set<String> both = new HashSet<>(first);
            both.retainAll(other);
            // Jobs run while the backlog is queued: every time counts from the first upload.
            System.out.printf("[faults] scenario 7: %d jobs, all queued at %.0f s, drained at %.0f s (scale-out at %.0f"
                            + " s, scale-in at %.0f s); transcoded by transcoder %d, by transcoder-2 %d, by both %d%n",
                    JOBS, (queued - began) / 1e9, (drained - began) / 1e9, (scaledOut - began) / 1e9,
                    (scaledIn - began) / 1e9, first.size(), other.size(), both.size());
            Verdicts.everyUploadSettled(settled, Set.of());
            Verdicts.oneOutcomePerJob(stack, all);
            Verdicts.oneOutcomeApplied(stack, all);
            Verdicts.nothingOrphaned(stack, all, settled);
            assertThat(other).as("the added replica took jobs").isNotEmpty();
            Verdicts.backToBaseline(stack, baseline, "scenario 7");
        }
    }

    private static void awaitReady(FaultStack stack, List<Upload> uploads, int count) {
        Awaitility.await(count + " jobs READY").atMost(DRAIN).pollInterval(Duration.ofSeconds(2))
                .until(() -> stack.countReady(uploads) >= count);
    }
}
