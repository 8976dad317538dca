package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.FreePort;
import dev.videobackend.stack.ServiceProcess;
import dev.videobackend.stack.faults.FaultStack.Upload;
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
 * Scenario 4 of issue 16: a second transcoder started in the middle of a stream of jobs (a scale-out and its
 * rebalance), then the first one killed with SIGKILL in the middle of a job: no job published twice, no spurious
 * FAILED, no staging directory left behind.
 */
class TwoTranscodersFaultIT {

    private static final int JOBS = 12;

    @TempDir
    Path data;

    @Test
    void aScaleOutThenAKillPublishEveryJobOnceAndLeaveNothingBehind() throws Exception {
        try (FaultStack stack = FaultStack.start(data, Map.of())) {
            Path clip = stack.clip(4.0);
            List<Upload> uploads = new ArrayList<>();
            Verdicts.Baseline baseline = stack.warmUp(clip, uploads);
            long began = System.nanoTime();
            for (int i = 1; i <= JOBS; i++) {
                uploads.add(stack.upload("job " + i, clip));
            }
            stack.awaitEncoding(uploads);
            ServiceProcess second = stack.stack().addTranscoder("transcoder-2", FreePort.find());
            stack.awaitEncoding(uploads);
            stack.killTranscoder();

            Map<String, JsonNode> settled = stack.awaitSettled(uploads, Duration.ofMinutes(30));
            Set<String> first = FaultStack.transcodedBy(stack.stack().logDirectory().resolve("transcoder.log"));
            Set<String> other = FaultStack.transcodedBy(second.log());
            Set<String> both = new HashSet<>(first);
            both.retainAll(other);
            System.out.printf("[faults] scenario 4: %d jobs settled after %d s; transcoded by transcoder %d, by"
                    + " transcoder-2 %d, by both %d%n", JOBS, Duration.ofNanos(System.nanoTime() - began).toSeconds(),
                    first.size(), other.size(), both.size());
            Verdicts.everyUploadSettled(settled, Set.of());
            Verdicts.oneOutcomePerJob(stack, uploads);
            Verdicts.oneOutcomeApplied(stack, uploads);
            Verdicts.nothingOrphaned(stack, uploads, settled);
            assertThat(other).as("the added replica took jobs").isNotEmpty();
            assertThat(second.restarts()).isZero();
            Verdicts.backToBaseline(stack, baseline, "scenario 4");
        }
    }
}
