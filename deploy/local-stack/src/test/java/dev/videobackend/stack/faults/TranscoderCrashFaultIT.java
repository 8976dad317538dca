package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.videobackend.infra.kafka.KafkaTestClient;
import dev.videobackend.stack.faults.FaultStack.Upload;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenarios 1 and 9 of issue 16: the transcoder of a running local stack killed with SIGKILL in the middle of a job,
 * three times during a stream of 20 short jobs. The stack's supervisor starts it again, the catalog keeps running,
 * every interrupted job completes in a second attempt, and nothing is published or applied twice. A job whose every
 * attempt kills the process ends {@code POISON_INPUT}.
 */
class TranscoderCrashFaultIT {

    private static final int JOBS = 20;
    private static final int KILLS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void killedMidJobThreeTimesDuringTwentyJobsEveryJobCompletesOnce() throws Exception {
        long began = System.nanoTime();
        try (FaultStack stack = FaultStack.start(data, Map.of());
                KafkaTestClient kafka = new KafkaTestClient(stack.stack().kafka().bootstrapServers());
                KafkaTestClient.Reader progress = kafka.reader("video.transcode.events")) {
            Path clip = stack.clip(4.0);
            List<Upload> uploads = new ArrayList<>();
            Verdicts.Baseline baseline = stack.warmUp(clip, uploads);
            for (int i = 1; i < JOBS; i++) {
                uploads.add(stack.upload("job " + i, clip));
            }

            List<String> killed = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                // A job of the stream in its first attempt's encoding, then SIGKILL; jobs in between run untouched.
                String victim = awaitEncoding(progress, 1, job -> !killed.contains(job));
                stack.killTranscoder();
                killed.add(victim);
                System.out.printf("[faults] kill %d: transcoder killed while encoding job %s%n", kill, victim);
            }

            Map<String, JsonNode> settled = stack.awaitSettled(uploads, Duration.ofMinutes(30));
            System.out.printf("[faults] scenario 1: %d jobs, %d kills, all settled after %d s%n", JOBS, KILLS,
                    Duration.ofNanos(System.nanoTime() - began).toSeconds());

            Verdicts.everyUploadSettled(settled, Set.of());
            EventLog events = stack.transcodeEvents();
            assertThat(killed).as("each interrupted job ran again and completed").allSatisfy(job -> {
                assertThat(events.attemptsOf(job)).contains(1, 2);
                assertThat(events.finalsOf(job)).extracting(event -> event.get("type").asText())
                        .containsOnly("TranscodeCompleted");
            });
            assertThat(stack.stack().transcoder().restarts()).isEqualTo(KILLS);
            assertThat(stack.stack().catalog().restarts()).isZero();
            assertThat(stack.stack().catalog().pid()).as("the catalog kept running").isEqualTo(baseline.catalog().pid());
            Verdicts.oneOutcomePerJob(stack, uploads);
            Verdicts.oneOutcomeApplied(stack, uploads);
            Verdicts.nothingOrphaned(stack, uploads, settled);
            Verdicts.backToBaseline(stack, baseline, "scenario 1");
        }
    }

    @Test
    void killedAtEveryAttemptAJobEndsPoisonInputWhileTheStackRunsOn() throws Exception {
        try (FaultStack stack = FaultStack.start(data, Map.of());
                KafkaTestClient kafka = new KafkaTestClient(stack.stack().kafka().bootstrapServers());
                KafkaTestClient.Reader progress = kafka.reader("video.transcode.events")) {
            Upload poison = stack.upload("kills its transcoder", stack.clip(8.0));
            // As an input that crashes FFmpeg would: the process dies in every attempt (default maximum: 3).
            for (int attempt = 1; attempt <= 3; attempt++) {
                awaitEncoding(progress, attempt, poison.jobId()::equals);
                stack.killTranscoder();
            }

            Map<String, JsonNode> settled = stack.awaitSettled(List.of(poison), Duration.ofMinutes(10));
            System.out.printf("[faults] scenario 9: killed in attempts 1 to 3, the job ended %s %s%n",
                    settled.get(poison.videoId()).get("status").asText(),
                    settled.get(poison.videoId()).path("failure").path("code").asText());
            Verdicts.everyUploadSettled(settled, Set.of("POISON_INPUT"));
            assertThat(settled.get(poison.videoId()).get("status").asText()).isEqualTo("FAILED");
            assertThat(stack.transcodeEvents().attemptsOf(poison.jobId())).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(stack.stack().transcoder().restarts()).isEqualTo(3);
            assertThat(stack.stack().catalog().restarts()).isZero();
            Verdicts.oneOutcomePerJob(stack, List.of(poison));
            Verdicts.oneOutcomeApplied(stack, List.of(poison));
            Verdicts.nothingOrphaned(stack, List.of(poison), settled);
        }
    }

    /** Waits for a job that {@code jobs} accepts to encode in {@code attempt}, not yet ended; returns its id. */
    private static String awaitEncoding(KafkaTestClient.Reader progress, int attempt, Predicate<String> jobs) {
        String[] found = new String[1];
        Awaitility.await("a job encoding").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    List<JsonNode> events = progress.all(record -> true).stream().map(record -> parse(record.value()))
                            .toList();
                    Set<String> ended = new HashSet<>();
                    events.stream().filter(event -> !"TranscodeProgress".equals(event.path("type").asText()))
                            .forEach(event -> ended.add(event.path("jobId").asText()));
                    events.stream().filter(event -> event.path("attempt").asInt() == attempt
                                    && "ENCODING".equals(event.path("stage").asText()))
                            .map(event -> event.path("jobId").asText())
                            .filter(job -> !ended.contains(job) && jobs.test(job))
                            .findFirst().ifPresent(job -> found[0] = job);
                    return found[0] != null;
                });
        return found[0];
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
