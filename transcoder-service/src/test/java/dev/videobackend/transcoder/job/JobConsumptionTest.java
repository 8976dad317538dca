package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.RequestOffsets;
import dev.videobackend.transcoder.TranscoderTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs longer than the channel's age limit (2 s in tests), queued faster than they run, two slots: the channel
 * stays healthy, each job runs once, no more than two at a time, and every offset ends up committed. The last jobs
 * wait for a slot longer than the age limit, yet the channel stays healthy: they wait in Kafka, unpolled, and the
 * age check counts only records the connector has handed over (see {@code JobOffsetsAgeTest} for it firing).
 */
@QuarkusTest
@TestProfile(TranscoderTestProfile.class)
class JobConsumptionTest extends JobTrafficTest {

    private static final int JOBS = 6;

    @ConfigProperty(name = "mp.messaging.incoming.transcode-requests.throttled.unprocessed-record-max-age.ms")
    long maxAgeMillis;

    @ConfigProperty(name = JobSlotsDefault.PROPERTY)
    int slots;

    @Inject
    HealthCenter health;

    private RequestOffsets offsets;

    @BeforeEach
    void connectAdmin() {
        offsets = new RequestOffsets(bootstrapServers);
    }

    @Test
    void runsQueuedJobsLongerThanTheAgeLimitAtMostTwoAtATimeAndCommitsEveryOffset() throws Exception {
        assertThat(slots).isEqualTo(2);
        // Long enough that each job outlasts the age limit on an idle machine too (an 8 s clip took 1.8 s there).
        Path source = SampleClip.write(SampleClip.Spec.standard(24.0), traffic.sourcePath(UUID.randomUUID()));
        List<UUID> jobs = new ArrayList<>();
        Instant sent = Instant.now();
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
        Instant lastStart = spans.stream().map(Span::start).max(Instant::compareTo).orElseThrow();
        assertThat(lastStart.toEpochMilli() - sent.toEpochMilli()).as("the last job's wait for a slot")
                .isGreaterThan(maxAgeMillis);
        assertThat(health.getLiveness().isOk()).isTrue();
        assertThat(health.getReadiness().isOk()).isTrue();
        traffic.await(offsets::everyRequestIsCommitted);
    }

    @Test
    void aJobThatFinishesFirstDoesNotCommitPastAnEarlierJobStillRunning() throws Exception {
        UUID videoId = UUID.randomUUID();
        Path longSource = SampleClip.write(new SampleClip.Spec(1280, 720, 30, 20.0, true),
                traffic.sourcePath(videoId));
        Path shortSource = SampleClip.write(SampleClip.Spec.standard(1.0), traffic.sourcePath(videoId));
        Map<TopicPartition, Long> before = offsets.endOffsets();
        UUID longJob = UUID.randomUUID();
        traffic.request(videoId, longJob, longSource);
        traffic.await(() -> !offsets.endOffsets().equals(before));
        TopicPartition partition = offsets.endOffsets().entrySet().stream()
                .filter(end -> !end.getValue().equals(before.get(end.getKey())))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        long longJobOffset = before.get(partition);
        traffic.await(() -> !traffic.eventsOf(longJob, "TranscodeProgress").isEmpty());

        // Same video, so same partition: the short job's record comes right after the long one's.
        UUID shortJob = UUID.randomUUID();
        traffic.request(videoId, shortJob, shortSource);
        traffic.awaitEvent(shortJob, "TranscodeCompleted");

        assertThat(traffic.finalEventsOf(longJob)).isEmpty();
        assertThat(offsets.committed().get(partition)).isEqualTo(longJobOffset);
        traffic.cancel(videoId, longJob);
        traffic.awaitEvent(longJob, "TranscodeFailed");
        traffic.await(() -> offsets.committed().get(partition) == longJobOffset + 2);
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
}
