package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.videobackend.infra.kafka.KafkaTestClient;
import dev.videobackend.transcoder.TranscoderTestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * What the job tests say to the transcoder and hear from it, as the catalog would: requests and cancels on Kafka,
 * events read back from the events topic (from the moment this opened).
 */
final class JobTraffic implements AutoCloseable {

    /** How long a test waits for what it expects: a ceiling only, generous for two cores shared with other work. */
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaTestClient kafka;
    private final KafkaTestClient.Reader events;
    private final Path mediaRoot;

    JobTraffic(String bootstrapServers, Path mediaRoot) {
        this.kafka = new KafkaTestClient(bootstrapServers);
        this.events = kafka.reader(TranscoderTestProfile.EVENTS_TOPIC);
        this.mediaRoot = mediaRoot;
    }

    KafkaTestClient kafka() {
        return kafka;
    }

    /** Where a test writes the source of a video: under {@code sources/}, as the catalog stores uploads. */
    Path sourcePath(UUID videoId) {
        return mediaRoot.resolve("sources").resolve(videoId.toString()).resolve(UUID.randomUUID().toString());
    }

    void request(UUID videoId, UUID jobId, Path source) {
        send(videoId, jobId, mediaRoot.relativize(source).toString());
    }

    void send(UUID videoId, UUID jobId, String sourcePath) {
        send(videoId, jobId, sourcePath, Map.of());
    }

    /** A request with these record headers, as the catalog's outbox relay sends them (a traceparent, say). */
    void send(UUID videoId, UUID jobId, String sourcePath, Map<String, String> headers) {
        kafka.send(TranscoderTestProfile.REQUESTS_TOPIC, videoId.toString(), """
                {"eventId":"%s","type":"TranscodeRequested","schemaVersion":1,"videoId":"%s","jobId":"%s",
                 "occurredAt":"%s","source":{"path":"%s","sizeBytes":1,"sha256":"00"}}"""
                .formatted(UUID.randomUUID(), videoId, jobId, Instant.now(), sourcePath), headers);
    }

    Path relative(Path source) {
        return mediaRoot.relativize(source);
    }

    /** The records of the job's events, headers and all. */
    List<ConsumerRecord<String, String>> recordsOf(UUID jobId) {
        return events.all(record -> jobId.toString().equals(parse(record.value()).get("jobId").asText()));
    }

    void cancel(UUID videoId, UUID jobId) {
        kafka.send(TranscoderTestProfile.CONTROL_TOPIC, videoId.toString(), """
                {"eventId":"%s","type":"TranscodeCancelRequested","schemaVersion":1,"videoId":"%s","jobId":"%s",
                 "occurredAt":"%s","reason":"CANCELLED_BY_USER"}"""
                .formatted(UUID.randomUUID(), videoId, jobId, Instant.now()));
    }

    JsonNode awaitEvent(UUID jobId, String type) {
        return awaitEvent(jobId, type, TIMEOUT);
    }

    JsonNode awaitEvent(UUID jobId, String type, Duration timeout) {
        await(timeout, () -> !eventsOf(jobId, type).isEmpty());
        return eventsOf(jobId, type).get(0);
    }

    void await(Callable<Boolean> condition) {
        await(TIMEOUT, condition);
    }

    static void await(Duration timeout, Callable<Boolean> condition) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition);
    }

    List<JsonNode> eventsOf(UUID jobId, String type) {
        return events.all(record -> true).stream()
                .map(record -> parse(record.value()))
                .filter(event -> jobId.toString().equals(event.get("jobId").asText()))
                .filter(event -> type.equals(event.get("type").asText()))
                .toList();
    }

    /** The job's final events: completions and failures. */
    List<JsonNode> finalEventsOf(UUID jobId) {
        return events.all(record -> true).stream()
                .map(record -> parse(record.value()))
                .filter(event -> jobId.toString().equals(event.get("jobId").asText()))
                .filter(event -> !"TranscodeProgress".equals(event.get("type").asText()))
                .toList();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
    }

    @Override
    public void close() {
        events.close();
        kafka.close();
    }
}
