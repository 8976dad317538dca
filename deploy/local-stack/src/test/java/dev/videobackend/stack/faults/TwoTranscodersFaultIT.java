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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 4 of issue 16: a second transcoder started in the middle of a stream of jobs (a scale-out and its
 * rebalance), then the first one killed with SIGKILL in the middle of a job: no job published twice, no spurious
 * FAILED, no staging directory left behind.
 */
class TwoTranscodersFaultIT {

    private static final int JOBS = 12;
    /** One more upload every 2 s from the scale-out to the kill. */
    private static final Duration STREAM_PACE = Duration.ofSeconds(2);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void aScaleOutThenAKillPublishEveryJobOnceAndLeaveNothingBehind() throws Exception {
        try (FaultStack stack = FaultStack.start(data, Map.of())) {
            Path clip = stack.clip(4.0);
            List<Upload> uploads = new CopyOnWriteArrayList<>();
            Verdicts.Baseline baseline = stack.warmUp(clip, uploads);
            long began = System.nanoTime();
            for (int i = 1; i <= JOBS; i++) {
                uploads.add(stack.upload("job " + i, clip));
            }
            stack.awaitEncoding(uploads);
            // The stream goes on until the fault: on a quiet machine the queued jobs alone drain before the added
            // replica has joined the group and been given a partition.
            AtomicBoolean streaming = new AtomicBoolean(true);
            ExecutorService uploader = Executors.newSingleThreadExecutor();
            Future<?> stream = uploader.submit(() -> {
                while (streaming.get()) {
                    uploads.add(stack.upload("job " + uploads.size(), clip));
                    FaultStack.pause(STREAM_PACE);
                }
            });
            ServiceProcess second = stack.stack().addTranscoder("transcoder-2", FreePort.find());
            // Ready over HTTP is not yet in the consumer group: killed right then (as this test did first), the
            // first left the group to wait out its session (45 s) before the added replica had a partition, and
            // no job was left for it by then. Kill the first once the added one encodes, in one of its own jobs.
            Path firstLog = stack.stack().logDirectory().resolve("transcoder.log");
            Awaitility.await("a job started on the added replica").atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofMillis(500)).until(() -> !FaultStack.startedBy(second.log()).isEmpty());
            String victim = Awaitility.await("a job running on the first replica").atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> FaultStack.runningOn(firstLog), Optional::isPresent).get();
            streaming.set(false);
            stack.killTranscoder();
            stream.get();
            uploader.shutdown();
            System.out.printf("[faults] scenario 4: the first transcoder killed while encoding job %s, the added one"
                    + " having started %d; %d jobs uploaded%n", victim, FaultStack.startedBy(second.log()).size(),
                    uploads.size() - 1);

            Map<String, JsonNode> settled = stack.awaitSettled(uploads, Duration.ofMinutes(30));
            Set<String> first = FaultStack.transcodedBy(firstLog);
            Set<String> other = FaultStack.transcodedBy(second.log());
            Set<String> both = new HashSet<>(first);
            both.retainAll(other);
            System.out.printf("[faults] scenario 4: %d jobs settled after %d s; transcoded by transcoder %d, by"
                    + " transcoder-2 %d, by both %d%n", uploads.size() - 1,
                    Duration.ofNanos(System.nanoTime() - began).toSeconds(), first.size(), other.size(), both.size());
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
