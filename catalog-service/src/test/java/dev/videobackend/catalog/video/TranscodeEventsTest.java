package dev.videobackend.catalog.video;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.Videos;
import dev.videobackend.infra.kafka.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Videos.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/** The inbox and the ordering rules of docs/events.md, through the real topic. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class TranscodeEventsTest extends KafkaTestBase {

    @Test
    void aRedeliveredEventIdIsIgnored() {
        String id = Videos.create(ALICE, "Delivered twice", Map.of());
        String job = Videos.upload(ALICE, id);
        UUID eventId = UUID.randomUUID();
        Instant start = Instant.now();

        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(eventId, id, job, 20, start));
        // Same id, other content: were it applied, the percentage would show 60.
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(eventId, id, job, 60, start.plusSeconds(1)));
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(id, job, 30, start.plusSeconds(2)));

        // One partition, in order: once 30 shows, the redelivery before it was handled.
        await().atMost(TIMEOUT).untilAsserted(() ->
                Videos.video(ALICE, id, "progress { percent }").body("data.video.progress.percent", is(30.0f)));
        assertThat(Database.rows("SELECT event_id FROM inbox_event WHERE video_id = ?", UUID.fromString(id))).hasSize(2);
        assertThat(Database.row("SELECT event_type FROM inbox_event WHERE event_id = ?", eventId))
                .containsEntry("event_type", "TranscodeProgress");
    }

    @Test
    void progressArrivingOutOfOrderNeverMovesBackwards() {
        String id = Videos.create(ALICE, "Out of order", Map.of());
        String job = Videos.upload(ALICE, id);
        Instant start = Instant.now();

        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(id, job, 50, start.plusSeconds(5)));
        // Older than what was applied (sent late): dropped, though its percentage is higher.
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(id, job, 70, start.plusSeconds(1)));
        // Newer but with a lower percentage (a restarted attempt): applied, the percentage stays.
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, """
                {"eventId":"%s","type":"TranscodeProgress","schemaVersion":1,"videoId":"%s","jobId":"%s",
                 "occurredAt":"%s","stage":"PACKAGING","percent":40,"renditionsDone":1,"renditionsTotal":2,
                 "attempt":2}""".formatted(UUID.randomUUID(), id, job, start.plusSeconds(9)));

        await().atMost(TIMEOUT).untilAsserted(() -> Videos.video(ALICE, id, "progress { stage percent attempt }")
                .body("data.video.progress.stage", is("PACKAGING"))
                .body("data.video.progress.percent", is(50.0f))
                .body("data.video.progress.attempt", is(2)));
    }

    @Test
    void aCompletionWithAPathOutsideItsJobGoesToTheDeadLetterTopic() {
        String id = Videos.create(ALICE, "Sneaky paths", Map.of());
        String job = Videos.upload(ALICE, id);
        String completed = Videos.completed(mediaRoot, id, job)
                .replace("\"masterPlaylistPath\":\"renditions/", "\"masterPlaylistPath\":\"sources/");

        try (KafkaTestClient.Reader deadLetters = kafka.reader(CatalogTestProfile.EVENTS_DEAD_LETTER_TOPIC)) {
            kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, completed);
            deadLetters.await(r -> id.equals(r.key()), TIMEOUT);
        }
        Videos.video(ALICE, id, "status media { hls }").body("data.video.status", is("QUEUED"));
    }
}
