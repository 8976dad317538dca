package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything a topic holds, read from its beginning to its end at one moment: the record of what was really
 * published, which the verdicts count by job and event id.
 */
record EventLog(List<JsonNode> events) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static EventLog read(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            List<JsonNode> events = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> events.add(parse(record.value())));
            }
            return new EventLog(List.copyOf(events));
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON on the topic: " + json, e);
        }
    }

    List<JsonNode> ofJob(String jobId) {
        return events.stream().filter(event -> jobId.equals(event.path("jobId").asText())).toList();
    }

    /** The final events (completed or failed) of a job, as many times as Kafka holds them. */
    List<JsonNode> finalsOf(String jobId) {
        return ofJob(jobId).stream().filter(event -> !"TranscodeProgress".equals(event.path("type").asText())).toList();
    }

    /** The attempts a job's progress events report. */
    Set<Integer> attemptsOf(String jobId) {
        return ofJob(jobId).stream().filter(event -> "TranscodeProgress".equals(event.path("type").asText()))
                .map(event -> event.path("attempt").asInt()).collect(Collectors.toSet());
    }

    /** How many times each event id was published. */
    Map<String, Long> countsByEventId() {
        return events.stream().collect(Collectors.groupingBy(event -> event.path("eventId").asText(),
                Collectors.counting()));
    }
}
