package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.TranscoderTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs longer than the channel's age limit (2 s in tests), queued faster than they run, two slots: the channel
 * stays healthy, each job runs once, no more than two at a time, and every offset ends up committed.
 */
@QuarkusTest
@TestProfile(TranscoderTestProfile.class)
class JobConsumptionTest extends JobTrafficTest {

    private static final int JOBS = 6;
    private static final String GROUP = "transcoder-service";

    @ConfigProperty(name = "mp.messaging.incoming.transcode-requests.throttled.unprocessed-record-max-age.ms")
    long maxAgeMillis;

    @ConfigProperty(name = JobSlotsDefault.PROPERTY)
    int slots;

    @Inject
    HealthCenter health;

    @Test
    void runsQueuedJobsLongerThanTheAgeLimitAtMostTwoAtATimeAndCommitsEveryOffset() throws Exception {
        assertThat(slots).isEqualTo(2);
        Path source = SampleClip.write(SampleClip.Spec.standard(8.0), traffic.sourcePath(UUID.randomUUID()));
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            UUID jobId = UUID.randomUUID();
            jobs.add(jobId);
            traffic.request(UUID.randomUUID(), jobId, source);
        }

        traffic.await(() -> jobs.stream().allMatch(job -> !traffic.finalEventsOf(job).isEmpty()));

        List<Span> spans = new ArrayList<>();
        for (UUID job : jobs) {
            List<JsonNode> finals = traffic.finalEventsOf(job);
            assertThat(finals).extracting(event -> event.get("type").asText()).containsExactly("TranscodeCompleted");
            List<JsonNode> progress = traffic.eventsOf(job, "TranscodeProgress");
            assertThat(progress).extracting(event -> event.get("attempt").asInt()).containsOnly(1);
            spans.add(new Span(Instant.parse(progress.get(0).get("occurredAt").asText()),
                    Instant.parse(finals.get(0).get("occurredAt").asText())));
        }
        assertThat(spans).allSatisfy(span -> assertThat(span.millis()).isGreaterThan(maxAgeMillis));
        assertThat(mostAtOnce(spans)).isEqualTo(2);
        assertThat(health.getLiveness().isOk()).isTrue();
        assertThat(health.getReadiness().isOk()).isTrue();
        traffic.await(this::everyRequestIsCommitted);
    }

    /** A job from its first progress event to its final one. */
    private record Span(Instant start, Instant end) {
        long millis() {
            return end.toEpochMilli() - start.toEpochMilli();
        }
    }

    private static int mostAtOnce(List<Span> spans) {
        int most = 0;
        for (Span span : spans) {
            int overlapping = (int) spans.stream()
                    .filter(other -> !other.start().isAfter(span.start()) && other.end().isAfter(span.start()))
                    .count();
            most = Math.max(most, overlapping);
        }
        return most;
    }

    /** The group's committed offset of every partition of the requests topic is that partition's end. */
    private boolean everyRequestIsCommitted() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            List<TopicPartition> partitions = admin.describeTopics(List.of(TranscoderTestProfile.REQUESTS_TOPIC))
                    .allTopicNames().get().get(TranscoderTestProfile.REQUESTS_TOPIC).partitions().stream()
                    .map(info -> new TopicPartition(TranscoderTestProfile.REQUESTS_TOPIC, info.partition()))
                    .toList();
            Map<TopicPartition, Long> ends = admin.listOffsets(partitions.stream()
                            .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest())))
                    .all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
            return partitions.stream().allMatch(partition -> ends.get(partition) == 0
                    || committed.containsKey(partition) && committed.get(partition).offset() == ends.get(partition));
        }
    }
}
