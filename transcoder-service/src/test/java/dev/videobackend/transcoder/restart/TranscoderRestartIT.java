package dev.videobackend.transcoder.restart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.kafka.KafkaBroker;
import dev.videobackend.infra.kafka.KafkaTestClient;
import dev.videobackend.infra.kafka.TopicSpec;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.PackagedTranscoder;
import dev.videobackend.transcoder.RequestOffsets;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged transcoder as a child process, killed with SIGKILL in the middle of a job and started again on the
 * same media directory and Kafka: the job ends exactly once, completed after one kill, and {@code POISON_INPUT}
 * once kills have used up its attempts. Kafka itself stops while a job finishes: the final event arrives once,
 * when the broker is back, and only then is the request committed. With a drain timeout, a SIGTERM lets the
 * running job complete and commit, and hands back a request that arrives meanwhile.
 */
class TranscoderRestartIT {

    private static final Duration JOB = Duration.ofSeconds(180);
    private static final String REQUESTS = "video.transcode.requests";
    private static final String EVENTS = "video.transcode.events";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    private static int kafkaPort;
    private static KafkaBroker kafka;

    private KafkaTestClient client;
    private KafkaTestClient.Reader events;
    private Path mediaRoot;
    private Process transcoder;

    @BeforeAll
    static void startKafka() {
        kafkaPort = FreePort.find();
        kafka = KafkaBroker.start(data.resolve("kafka"), kafkaPort);
        kafka.createTopics(List.of(new TopicSpec(REQUESTS, 3), new TopicSpec(REQUESTS + ".dlq", 1),
                new TopicSpec(EVENTS, 3), new TopicSpec("video.transcode.control", 3)));
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void connect() throws IOException {
        client = new KafkaTestClient(kafka.bootstrapServers());
        events = client.reader(EVENTS);
        mediaRoot = Files.createTempDirectory(data, "media");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (transcoder != null && transcoder.isAlive()) {
            transcoder.destroy();
            assertThat(transcoder.waitFor(60, TimeUnit.SECONDS)).as("transcoder stopped").isTrue();
        }
        events.close();
        client.close();
    }

    @Test
    void aKilledTranscoderFinishesTheJobExactlyOnceAfterARestart() throws InterruptedException {
        UUID jobId = completesOnceAfter(this::kill);

        assertThat(progress(jobId)).extracting(event -> event.get("attempt").asInt()).contains(1, 2);
        assertThat(mediaRoot.resolve(".jobs").resolve(jobId + ".attempts")).doesNotExist();
    }

    @Test
    void aJobStoppedByAGracefulShutdownIsRedeliveredWithoutCountingAnAttempt() throws InterruptedException {
        UUID jobId = completesOnceAfter(this::stopGracefully);

        assertThat(progress(jobId)).extracting(event -> event.get("attempt").asInt()).containsOnly(1);
    }

    /** How a test stops the transcoder in the middle of a job. */
    @FunctionalInterface
    private interface Interruption {
        void stop() throws InterruptedException;
    }

    /**
     * Starts a job, stops the transcoder in its first encoding, starts it again, and checks that the job completes
     * with exactly one final event.
     */
    private UUID completesOnceAfter(Interruption interruption) throws InterruptedException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = longClip(videoId);
        start(3);
        request(videoId, jobId, source);
        awaitEncoding(jobId, 1);

        interruption.stop();
        assertThat(finals(jobId)).isEmpty();
        start(3);

        assertThat(awaitFinal(jobId).get("type").asText()).isEqualTo("TranscodeCompleted");
        stopGracefully();
        assertThat(finals(jobId)).hasSize(1);
        return jobId;
    }

    @Test
    void aGracefulShutdownWithADrainTimeoutCompletesTheRunningJobAndHandsBackTheNextOne() throws Exception {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = longClip(videoId);
        UUID nextVideoId = UUID.randomUUID();
        UUID nextJobId = UUID.randomUUID();
        Path nextSource = SampleClip.write(SampleClip.Spec.standard(2.0),
                mediaRoot.resolve("sources").resolve(nextVideoId.toString()).resolve("original"));
        RequestOffsets offsets = new RequestOffsets(kafka.bootstrapServers());
        // Two slots, so that the request sent during the drain is received there and must be held back.
        start(3, "-Dtranscoder.jobs.drain-timeout=" + JOB.toSeconds() + "s",
                "-Dsmallrye.messaging.worker.transcode-jobs.max-concurrency=2");
        request(videoId, jobId, source);
        Map<TopicPartition, Long> upToTheJob = offsets.endOffsets();
        awaitEncoding(jobId, 1);

        transcoder.destroy();
        Path log = mediaRoot.resolve("transcoder.log");
        Awaitility.await("drain begun").atMost(JOB).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.readString(log).contains("Shutting down: waiting up to"));
        request(nextVideoId, nextJobId, nextSource);
        assertThat(transcoder.waitFor(JOB.toSeconds(), TimeUnit.SECONDS)).as("drained and stopped").isTrue();

        assertThat(awaitFinal(jobId).get("type").asText()).isEqualTo("TranscodeCompleted");
        assertThat(progress(jobId)).extracting(event -> event.get("attempt").asInt()).containsOnly(1);
        assertThat(offsets.committed()).as("the drained job's request is committed")
                .allSatisfy((partition, committed) -> assertThat(committed).isGreaterThanOrEqualTo(
                        upToTheJob.get(partition)));
        assertThat(eventsOf(nextJobId)).as("no job starts during the drain").isEmpty();
        assertThat(offsets.everyRequestIsCommitted()).as("the request sent during the drain is handed back").isFalse();

        start(3);
        assertThat(awaitFinal(nextJobId).get("type").asText()).isEqualTo("TranscodeCompleted");
        Awaitility.await("every request committed").atMost(JOB).pollInterval(Duration.ofMillis(250))
                .until(offsets::everyRequestIsCommitted);
        stopGracefully();
        assertThat(finals(jobId)).hasSize(1);
        assertThat(finals(nextJobId)).hasSize(1);
    }

    @Test
    void killsUpToTheMaximumAttemptsEndTheJobAsPoisonInput() throws InterruptedException, IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = longClip(videoId);
        start(2);
        request(videoId, jobId, source);
        awaitEncoding(jobId, 1);
        kill();
        start(2);
        awaitEncoding(jobId, 2);
        kill();
        start(2);

        JsonNode outcome = awaitFinal(jobId);
        assertThat(outcome.get("type").asText()).isEqualTo("TranscodeFailed");
        assertThat(outcome.get("code").asText()).isEqualTo("POISON_INPUT");
        assertThat(outcome.get("attempt").asInt()).isEqualTo(2);
        assertThat(progress(jobId)).extracting(event -> event.get("attempt").asInt()).containsOnly(1, 2);
        stopGracefully();
        assertThat(finals(jobId)).hasSize(1);
        try (Stream<Path> files = Files.walk(mediaRoot.resolve("renditions"))) {
            assertThat(files.filter(path -> path.toString().contains(jobId.toString()))).isEmpty();
        }
    }

    @Test
    void aFinalEventSentWhileKafkaIsDownArrivesOnceItIsBackAndOnlyThenIsTheRequestCommitted() throws Exception {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        // Long enough that the broker is down before the job ends.
        Path source = SampleClip.write(SampleClip.Spec.standard(30.0),
                mediaRoot.resolve("sources").resolve(videoId.toString()).resolve("original"));
        RequestOffsets offsets = new RequestOffsets(kafka.bootstrapServers());
        start(3);
        request(videoId, jobId, source);
        awaitEncoding(jobId, 1);
        assertThat(offsets.everyRequestIsCommitted()).as("the running job's request is not committed").isFalse();

        kafka.close();
        Path completion = mediaRoot.resolve("renditions").resolve(videoId.toString()).resolve(jobId.toString())
                .resolve(".completed.json");
        Awaitility.await("job published while Kafka is down").atMost(JOB).until(() -> Files.isRegularFile(completion));
        assertThat(transcoder.isAlive()).isTrue();
        kafka = KafkaBroker.start(data.resolve("kafka"), kafkaPort);

        JsonNode outcome = awaitFinal(jobId);
        assertThat(outcome.get("type").asText()).isEqualTo("TranscodeCompleted");
        Awaitility.await("request committed").atMost(JOB).pollInterval(Duration.ofMillis(250))
                .until(offsets::everyRequestIsCommitted);
        stopGracefully();
        // One outcome. Kafka may hold it twice, under the same event id: when the restarted broker rebalances the
        // group while the job sends, its acknowledgement cannot commit, and the redelivered request sends the
        // recorded completion again. Delivery is at least once, de-duplicated on the event id (docs/events.md).
        assertThat(finals(jobId)).extracting(event -> event.get("eventId").asText()).hasSizeBetween(1, 2)
                .containsOnly(outcome.get("eventId").asText());
    }

    /** Long enough that a kill right after the first encoding progress lands in the middle of the job. */
    private Path longClip(UUID videoId) {
        return SampleClip.write(SampleClip.Spec.standard(15.0),
                mediaRoot.resolve("sources").resolve(videoId.toString()).resolve("original"));
    }

    /** Starts the packaged transcoder, with {@code systemProperties} ({@code -Dname=value}) besides the usual. */
    private void start(int maxAttempts, String... systemProperties) {
        transcoder = PackagedTranscoder.start(kafka.bootstrapServers(), mediaRoot, maxAttempts,
                mediaRoot.resolve("transcoder.log"), systemProperties);
    }

    /** SIGKILL: no shutdown hook, no commit, no final event. */
    private void kill() throws InterruptedException {
        transcoder.destroyForcibly();
        assertThat(transcoder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** SIGTERM, after which nothing more of the job may arrive. */
    private void stopGracefully() throws InterruptedException {
        transcoder.destroy();
        assertThat(transcoder.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private void request(UUID videoId, UUID jobId, Path source) {
        client.send(REQUESTS, videoId.toString(), """
                {"eventId":"%s","type":"TranscodeRequested","schemaVersion":1,"videoId":"%s","jobId":"%s",
                 "occurredAt":"%s","source":{"path":"%s","sizeBytes":1,"sha256":"00"}}"""
                .formatted(UUID.randomUUID(), videoId, jobId, Instant.now(), mediaRoot.relativize(source)));
    }

    private void awaitEncoding(UUID jobId, int attempt) {
        Awaitility.await("attempt " + attempt + " encoding").atMost(JOB).pollInterval(Duration.ofMillis(50))
                .until(() -> progress(jobId).stream().anyMatch(event -> event.get("attempt").asInt() == attempt
                        && "ENCODING".equals(event.get("stage").asText())));
    }

    private JsonNode awaitFinal(UUID jobId) {
        Awaitility.await("final event").atMost(JOB).pollInterval(Duration.ofMillis(100))
                .until(() -> !finals(jobId).isEmpty());
        return finals(jobId).get(0);
    }

    private List<JsonNode> progress(UUID jobId) {
        return eventsOf(jobId).filter(event -> "TranscodeProgress".equals(event.get("type").asText())).toList();
    }

    private List<JsonNode> finals(UUID jobId) {
        return eventsOf(jobId).filter(event -> !"TranscodeProgress".equals(event.get("type").asText())).toList();
    }

    private Stream<JsonNode> eventsOf(UUID jobId) {
        return events.all(record -> true).stream()
                .map(record -> parse(record.value()))
                .filter(event -> jobId.toString().equals(event.get("jobId").asText()));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
    }
}
