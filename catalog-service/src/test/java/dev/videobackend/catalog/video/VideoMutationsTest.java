package dev.videobackend.catalog.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.Videos;
import dev.videobackend.infra.kafka.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Tokens.BOB;
import static dev.videobackend.catalog.Tokens.ROOT;
import static dev.videobackend.catalog.Videos.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** updateVideo, deleteVideo, retranscode and cancelTranscode: permissions, state rules, rows, events, files. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class VideoMutationsTest extends KafkaTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPDATE = """
            mutation($id: ID!, $version: Int!, $input: UpdateVideoInput!) {
              updateVideo(id: $id, expectedVersion: $version, input: $input) { title slug visibility tags version } }""";
    private static final String DELETE = "mutation($id: ID!) { deleteVideo(id: $id) }";
    private static final String RETRANSCODE = "mutation($id: ID!) { retranscode(id: $id) { status transcodeAttempts } }";
    private static final String CANCEL = "mutation($id: ID!) { cancelTranscode(id: $id) { status progress { percent } } }";

    @Test
    void updateChangesOnlyTheGivenFieldsAndRefusesAStaleVersion() {
        String id = Videos.create(ALICE, "Before", Map.of("tags", List.of("a")));
        long version = version(id);

        GraphQl.postAs(ALICE, UPDATE, Map.of("id", id, "version", version,
                        "input", Map.of("title", "After", "visibility", "UNLISTED")))
                .body("errors", nullValue())
                .body("data.updateVideo.title", is("After"))
                .body("data.updateVideo.visibility", is("UNLISTED"))
                .body("data.updateVideo.tags", contains("a"))
                .body("data.updateVideo.version", is((int) version + 1));

        // The same expectedVersion again: someone (here, the first update) changed it since.
        GraphQl.postAs(ALICE, UPDATE, Map.of("id", id, "version", version, "input", Map.of("title", "Lost")))
                .body("data", nullValue())
                .body("errors[0].extensions.code", is("CONFLICT"))
                .body("errors[0].message", is("Video " + id + " is at version " + (version + 1) + ", not " + version
                        + ": read it again and reapply the change"));
        assertThat(Database.row("SELECT title FROM video WHERE id = ?", UUID.fromString(id))).containsEntry("title", "After");

        GraphQl.postAs(ALICE, UPDATE, Map.of("id", id, "version", version + 1, "input", Map.of("title", " ")))
                .body("errors[0].extensions.code", is("VALIDATION"));
        GraphQl.postAs(ROOT, UPDATE, Map.of("id", id, "version", version + 1, "input", Map.of("title", "By admin")))
                .body("errors", nullValue()).body("data.updateVideo.title", is("By admin"));

        // A new slug is the words asked for and a fresh random part, so it never clashes with another video's.
        String other = Videos.create(ALICE, "Other", Map.of());
        String taken = Videos.video(ALICE, other, "slug").extract().path("data.video.slug");
        GraphQl.postAs(ALICE, UPDATE, Map.of("id", id, "version", version + 2, "input", Map.of("slug", taken)))
                .body("errors", nullValue())
                .body("data.updateVideo.slug", matchesPattern(taken + "-[a-z0-9]{8}"));
        GraphQl.postAs(ALICE, UPDATE, Map.of("id", id, "version", version + 3, "input", Map.of("slug", "Not A Slug")))
                .body("errors[0].extensions.code", is("VALIDATION"));
    }

    @Test
    void onlyTheOwnerOrAnAdminMayChangeAVideo() {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Alice's", Map.of());
        long version = version(id);
        Map<String, Object> rename = Map.of("id", id, "version", version, "input", Map.of("title", "Bob's now"));

        GraphQl.post(UPDATE, rename).body("errors[0].extensions.code", is("UNAUTHENTICATED"));
        GraphQl.postAs(BOB, UPDATE, rename).body("errors[0].extensions.code", is("FORBIDDEN"))
                .body("errors[0].message", is("Only the owner of video " + id + " or an admin may change it"));
        GraphQl.postAs(BOB, DELETE, Map.of("id", id)).body("errors[0].extensions.code", is("FORBIDDEN"));
        GraphQl.postAs(BOB, RETRANSCODE, Map.of("id", id)).body("errors[0].extensions.code", is("FORBIDDEN"));
        GraphQl.post(CANCEL, Map.of("id", id)).body("errors[0].extensions.code", is("UNAUTHENTICATED"));
        assertThat(version(id)).isEqualTo(version);

        // A PRIVATE video of someone else is not even admitted to exist.
        String secret = Videos.create(ALICE, "Secret", Map.of("visibility", "PRIVATE"));
        GraphQl.postAs(BOB, DELETE, Map.of("id", secret)).body("errors[0].extensions.code", is("NOT_FOUND"));
        GraphQl.postAs(BOB, DELETE, Map.of("id", UUID.randomUUID().toString()))
                .body("errors[0].extensions.code", is("NOT_FOUND"));
    }

    @Test
    void deleteRemovesRowsAndFilesAndAnnouncesIt() throws Exception {
        String id = Videos.create(ALICE, "Doomed while transcoding", Map.of());
        String job = Videos.upload(ALICE, id);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(id, job, 10, Instant.now()));
        Videos.awaitStatus(ALICE, id, "PROCESSING");
        String slug = Videos.video(ALICE, id, "slug").extract().path("data.video.slug");
        Files.createDirectories(mediaRoot.resolve("renditions/" + id + "/" + job));
        assertThat(mediaRoot.resolve("sources/" + id)).isNotEmptyDirectory();

        try (KafkaTestClient.Reader catalogEvents = kafka.reader(CatalogTestProfile.CATALOG_EVENTS_TOPIC);
                KafkaTestClient.Reader control = kafka.reader(CatalogTestProfile.CONTROL_TOPIC)) {
            GraphQl.postAs(ALICE, DELETE, Map.of("id", id)).body("errors", nullValue()).body("data.deleteVideo", is(id));

            JsonNode deleted = JSON.readTree(catalogEvents.await(r -> id.equals(r.key()), TIMEOUT).value());
            assertThat(deleted.get("type").asText()).isEqualTo("VideoDeleted");
            assertThat(deleted.get("slug").asText()).isEqualTo(slug);
            assertThat(deleted.get("owner").asText()).isEqualTo(ALICE);
            assertThat(deleted.has("jobId")).isFalse();
            ConsumerRecord<String, String> cancel = control.await(r -> id.equals(r.key()), TIMEOUT);
            JsonNode cancelEvent = JSON.readTree(cancel.value());
            assertThat(cancelEvent.get("reason").asText()).isEqualTo("VIDEO_DELETED");
            assertThat(cancelEvent.get("jobId").asText()).isEqualTo(job);
            assertThat(KafkaTestClient.header(cancel, "ce_type")).isEqualTo("dev.videobackend.TranscodeCancelRequested");
        }
        UUID videoId = UUID.fromString(id);
        assertThat(Database.rows("SELECT id FROM video WHERE id = ?", videoId)).isEmpty();
        assertThat(Database.rows("SELECT event_id FROM inbox_event WHERE video_id = ?", videoId)).isEmpty();
        assertThat(Database.rows("SELECT id FROM rendition WHERE video_id = ?", videoId)).isEmpty();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(mediaRoot.resolve("sources/" + id)).doesNotExist();
            assertThat(mediaRoot.resolve("renditions/" + id)).doesNotExist();
            assertThat(Database.rows("SELECT id FROM file_deletion WHERE path LIKE ?", "%/" + id + "%")).isEmpty();
        });
        Videos.video(ROOT, id, "id").body("data.video", nullValue());
        GraphQl.postAs(ALICE, DELETE, Map.of("id", id)).body("errors[0].extensions.code", is("NOT_FOUND"));
    }

    @Test
    void makingAVideoPrivateOrDeletingItRevokesItsMediaFromCaches() throws Exception {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Cached everywhere", Map.of());
        try (KafkaTestClient.Reader catalogEvents = kafka.reader(CatalogTestProfile.CATALOG_EVENTS_TOPIC)) {
            GraphQl.postAs(ALICE, UPDATE, Map.of("id", id, "version", version(id), "input", Map.of("visibility", "UNLISTED")))
                    .body("errors", nullValue());
            GraphQl.postAs(ALICE, UPDATE, Map.of("id", id, "version", version(id), "input", Map.of("visibility", "PRIVATE")))
                    .body("errors", nullValue());
            JsonNode madePrivate = JSON.readTree(catalogEvents.await(r -> id.equals(r.key())
                    && r.value().contains("VideoMediaRevoked"), TIMEOUT).value());
            assertThat(madePrivate.get("reason").asText()).isEqualTo("MADE_PRIVATE");
            assertThat(madePrivate.get("mediaPrefix").asText()).isEqualTo("/media/" + id + "/");
            // Staying private, or becoming visible again, revokes nothing.
            GraphQl.postAs(ALICE, UPDATE, Map.of("id", id, "version", version(id), "input", Map.of("title", "Still private")))
                    .body("errors", nullValue());
            GraphQl.postAs(ALICE, UPDATE, Map.of("id", id, "version", version(id), "input", Map.of("visibility", "PUBLIC")))
                    .body("errors", nullValue());

            GraphQl.postAs(ALICE, DELETE, Map.of("id", id)).body("errors", nullValue());
            JsonNode deleted = JSON.readTree(catalogEvents.await(r -> id.equals(r.key())
                    && r.value().contains("VIDEO_DELETED"), TIMEOUT).value());
            assertThat(deleted.get("type").asText()).isEqualTo("VideoMediaRevoked");
            assertThat(catalogEvents.all(r -> id.equals(r.key()) && r.value().contains("VideoMediaRevoked"))).hasSize(2);
        }
        // Exactly two, both through the outbox: unlisted to private (the media was reachable by link), and the deletion.
        assertThat(Database.rows("SELECT id FROM outbox_event WHERE message_key = ? AND event_type = 'VideoMediaRevoked'", id))
                .hasSize(2);
    }

    @Test
    void deletingASettledVideoSendsNoCancel() {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Ready to go", Map.of());
        try (KafkaTestClient.Reader catalogEvents = kafka.reader(CatalogTestProfile.CATALOG_EVENTS_TOPIC);
                KafkaTestClient.Reader control = kafka.reader(CatalogTestProfile.CONTROL_TOPIC)) {
            GraphQl.postAs(ROOT, DELETE, Map.of("id", id)).body("errors", nullValue());
            catalogEvents.await(r -> id.equals(r.key()), TIMEOUT);
            assertThat(control.all(r -> id.equals(r.key()))).isEmpty();
        }
    }

    @Test
    void retranscodeStartsANewJobAndOldJobsEventsAreStale() throws Exception {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Again please", Map.of());
        String firstJob = job(id);

        try (KafkaTestClient.Reader requests = kafka.reader(CatalogTestProfile.REQUESTS_TOPIC)) {
            GraphQl.postAs(ALICE, RETRANSCODE, Map.of("id", id))
                    .body("errors", nullValue())
                    .body("data.retranscode.status", is("QUEUED"))
                    .body("data.retranscode.transcodeAttempts", is(2));
            JsonNode request = JSON.readTree(requests.await(r -> id.equals(r.key()), TIMEOUT).value());
            String secondJob = job(id);
            assertThat(secondJob).isNotEqualTo(firstJob);
            assertThat(request.get("jobId").asText()).isEqualTo(secondJob);
            assertThat(request.at("/source/path").asText()).startsWith("sources/" + id + "/");
        }
        // Running: a second retranscode must wait for it to end.
        GraphQl.postAs(ALICE, RETRANSCODE, Map.of("id", id))
                .body("errors[0].extensions.code", is("CONFLICT"))
                .body("errors[0].message", is("Video " + id + " is QUEUED: only a video that is UPLOADED, READY or "
                        + "FAILED can be transcoded again (cancel the running job first)"));

        // The new job completes; the first job's output is no longer referenced and is deleted.
        String secondJob = job(id);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.completed(mediaRoot, id, secondJob));
        await().atMost(TIMEOUT).untilAsserted(() -> Videos.video(ALICE, id, "status media { hls }")
                .body("data.video.status", is("READY"))
                .body("data.video.media.hls", is("/media/" + id + "/" + secondJob + "/master.m3u8")));
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(mediaRoot.resolve("renditions/" + id + "/" + firstJob)).doesNotExist());
        assertThat(mediaRoot.resolve("renditions/" + id + "/" + secondJob + "/master.m3u8")).exists();

        String neverUploaded = Videos.create(ALICE, "No source", Map.of());
        GraphQl.postAs(ALICE, RETRANSCODE, Map.of("id", neverUploaded)).body("errors[0].extensions.code", is("CONFLICT"));
    }

    @Test
    void aFailedTranscodeCanBeRetried() {
        String id = Videos.create(ALICE, "Try again", Map.of());
        String job = Videos.upload(ALICE, id);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.failed(id, job, "INTERNAL"));
        Videos.awaitStatus(ALICE, id, "FAILED");

        GraphQl.postAs(ALICE, "mutation($id: ID!) { retranscode(id: $id) { status failure { code } transcodeAttempts } }",
                        Map.of("id", id))
                .body("errors", nullValue())
                .body("data.retranscode.status", is("QUEUED"))
                .body("data.retranscode.failure", nullValue())
                .body("data.retranscode.transcodeAttempts", is(2));
        assertThat(job(id)).isNotEqualTo(job);
    }

    @Test
    void cancelEndsTheJobSoItsLateEventsAreDroppedAndItsOutputDeleted() throws Exception {
        String id = Videos.create(ALICE, "Cancel me", Map.of());
        String job = Videos.upload(ALICE, id);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(id, job, 30, Instant.now()));
        Videos.awaitStatus(ALICE, id, "PROCESSING");

        try (KafkaTestClient.Reader control = kafka.reader(CatalogTestProfile.CONTROL_TOPIC)) {
            GraphQl.postAs(ALICE, CANCEL, Map.of("id", id))
                    .body("errors", nullValue())
                    .body("data.cancelTranscode.status", is("UPLOADED"))
                    .body("data.cancelTranscode.progress", nullValue());
            JsonNode cancel = JSON.readTree(control.await(r -> id.equals(r.key()), TIMEOUT).value());
            assertThat(cancel.get("type").asText()).isEqualTo("TranscodeCancelRequested");
            assertThat(cancel.get("reason").asText()).isEqualTo("CANCELLED_BY_USER");
            assertThat(cancel.get("jobId").asText()).isEqualTo(job);
        }
        assertThat(Database.row("SELECT job_id FROM video WHERE id = ?", UUID.fromString(id)).get("job_id")).isNull();
        GraphQl.postAs(ALICE, CANCEL, Map.of("id", id)).body("errors[0].extensions.code", is("CONFLICT"))
                .body("errors[0].message", is("Video " + id + " is UPLOADED: no transcode is running"));

        // The transcoder finished anyway: its completion is dropped and its output removed.
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.completed(mediaRoot, id, job));
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.failed(id, job, "CANCELLED"));
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(mediaRoot.resolve("renditions/" + id + "/" + job)).doesNotExist());
        Videos.video(ALICE, id, "status renditions { height } failure { code }")
                .body("data.video.status", is("UPLOADED"))
                .body("data.video.failure", nullValue())
                .body("data.video.renditions.size()", is(0));

        // And it can be started again.
        GraphQl.postAs(ALICE, RETRANSCODE, Map.of("id", id)).body("data.retranscode.status", is("QUEUED"));
        assertThat(job(id)).isNotEqualTo(job);
    }

    @Test
    void cancellingARetranscodeReturnsToTheEarlierOutput() {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Keep the old one", Map.of());
        String firstJob = job(id);
        GraphQl.postAs(ALICE, RETRANSCODE, Map.of("id", id)).body("data.retranscode.status", is("QUEUED"));
        GraphQl.postAs(ALICE, CANCEL, Map.of("id", id)).body("data.cancelTranscode.status", is("READY"));
        Videos.video(null, id, "status media { hls }")
                .body("data.video.media.hls", is("/media/" + id + "/" + firstJob + "/master.m3u8"));
        assertThat(mediaRoot.resolve("renditions/" + id + "/" + firstJob + "/master.m3u8")).exists();
        Videos.video(ALICE, id, "status").body("data.video.status", not(is("QUEUED")));
    }

    private static long version(String id) {
        return ((Number) Database.row("SELECT version FROM video WHERE id = ?", UUID.fromString(id)).get("version")).longValue();
    }

    private static String job(String id) {
        Object job = Database.row("SELECT job_id FROM video WHERE id = ?", UUID.fromString(id)).get("job_id");
        return job == null ? null : job.toString();
    }
}
