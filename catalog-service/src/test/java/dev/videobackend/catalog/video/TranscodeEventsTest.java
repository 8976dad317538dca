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
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
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

    /**
     * A transcoder replica that lost the job's partition may still report it failed (a spurious failure) while the
     * job's new owner completes it: the completion is dropped, and its output, which nothing references, deleted.
     */
    @Test
    void aCompletionOfAJobThatAlreadyFailedIsDroppedAndItsOutputDeleted() {
        String id = Videos.create(ALICE, "Failed, then completed", Map.of());
        String job = Videos.upload(ALICE, id);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.failed(id, job, "INTERNAL"));
        Videos.awaitStatus(ALICE, id, "FAILED");

        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.completed(mediaRoot, id, job));

        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(mediaRoot.resolve("renditions/" + id + "/" + job)).doesNotExist());
        Videos.video(ALICE, id, "status failure { code } renditions { height }")
                .body("data.video.status", is("FAILED"))
                .body("data.video.failure.code", is("INTERNAL"))
                .body("data.video.renditions.size()", is(0));
    }

    /** The same completion again under another event id (two runs of the job) leaves the output it serves alone. */
    @Test
    void aCompletionOfTheJobAVideoServesKeepsItsOutput() {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Completed twice", Map.of());
        String job = Database.row("SELECT job_id FROM video WHERE id = ?", UUID.fromString(id)).get("job_id").toString();
        UUID marker = UUID.randomUUID();

        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.completed(mediaRoot, id, job));
        // One partition, in order: once this progress is recorded as handled, the completion before it was too.
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(marker, id, job, 10, Instant.now()));

        await().atMost(TIMEOUT).until(() -> !Database.rows("SELECT event_id FROM inbox_event WHERE event_id = ?",
                marker).isEmpty());
        assertThat(mediaRoot.resolve("renditions/" + id + "/" + job + "/master.m3u8")).exists();
        Videos.video(ALICE, id, "status renditions { height }")
                .body("data.video.status", is("READY"))
                .body("data.video.renditions.size()", is(2));
    }

    /** AV1 variants (optional, besides the H.264 rungs) are stored and served with their codecs, per height. */
    @Test
    void aCompletionWithAv1VariantsServesBothCodecs() {
        String id = Videos.create(ALICE, "With AV1", Map.of());
        String job = Videos.upload(ALICE, id);
        String dir = "renditions/" + id + "/" + job + "/";
        String completed = Videos.completed(mediaRoot, id, job).replace("\"attempt\":1,", """
                "av1Renditions":[
                  {"height":480,"width":854,"videoCodec":"av1","codecs":"av01.0.04M.08","frameRate":30.0,
                   "bitrate":903000,"averageBitrate":771000,"path":"%s480p-av1/playlist.m3u8",
                   "mimeType":"application/vnd.apple.mpegurl","sizeBytes":965000,"durationSeconds":10.0}],
                "attempt":1,""".formatted(dir));

        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, completed);

        Videos.awaitStatus(ALICE, id, "READY");
        Videos.video(ALICE, id, "renditions { height videoCodec codecs bitrate url }")
                .body("data.video.renditions.height", contains(480, 480, 360))
                .body("data.video.renditions.videoCodec", contains("h264", "av1", "h264"))
                .body("data.video.renditions.codecs", contains("avc1.64001e", "av01.0.04M.08", "avc1.64001e"))
                .body("data.video.renditions[1].bitrate", is(903000))
                .body("data.video.renditions[1].url", endsWith("/" + job + "/480p-av1/playlist.m3u8"));
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
