package dev.videobackend.catalog.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Uploads;
import dev.videobackend.catalog.Videos;
import dev.videobackend.catalog.events.TranscodeRequested;
import dev.videobackend.infra.kafka.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Tokens.BOB;
import static dev.videobackend.catalog.Tokens.ROOT;
import static dev.videobackend.catalog.Tokens.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** Whole-body uploads ({@code PUT /api/videos/{id}/source}): who may, what is taken, what a refusal leaves. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class SourceUploadTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "catalog.media.root")
    Path mediaRoot;

    @Test
    void whatIsNotAVideoContainerIsRefusedBeforeAnythingIsStoredOrQueued() throws IOException {
        String id = Videos.create(ALICE, "Not a video", Map.of("visibility", "PUBLIC"));
        Map<String, byte[]> impostors = Map.of(
                "playlist", Uploads.text("#EXTM3U\n#EXTINF:10,\nhttp://169.254.169.254/latest/meta-data\n"),
                "html", Uploads.text("<!DOCTYPE html><html><head><title>clip.mp4</title></head></html>"),
                "jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0},
                "zip", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0},
                "noise", noise(50_000));

        impostors.forEach((kind, body) -> Tokens.as(ALICE).contentType("video/mp4").body(body)
                .when().put("/api/videos/{id}/source", id)
                .then().statusCode(415).contentType("application/problem+json")
                .body("code", is("UNSUPPORTED_MEDIA"))
                .body("detail", startsWith("The upload is not a video container this catalog takes (MP4/MOV/3GP")));

        assertThat(Database.row("SELECT status, source_path FROM video WHERE id = ?", UUID.fromString(id)))
                .containsEntry("status", "AWAITING_UPLOAD").containsEntry("source_path", null);
        assertThat(filesOf(id)).isEmpty();
        assertThat(outboxRows(id)).isEmpty();
    }

    @Test
    void onlyTheOwnerOrAnAdminMayUpload() throws IOException {
        String id = Videos.create(ALICE, "Alice's clip", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(10_000);

        Tokens.as(null).contentType("video/mp4").body(source).when().put("/api/videos/{id}/source", id)
                .then().statusCode(401).contentType("application/problem+json").body("code", is("UNAUTHENTICATED"));
        // Not READY yet, so hidden from others: as absent as a video that does not exist.
        Tokens.as(BOB).contentType("video/mp4").body(source).when().put("/api/videos/{id}/source", id)
                .then().statusCode(404).body("code", is("NOT_FOUND"));
        Tokens.as(VIEWER).contentType("video/mp4").body(source).when().put("/api/videos/{id}/source", id)
                .then().statusCode(404).body("code", is("NOT_FOUND"));
        assertThat(outboxRows(id)).isEmpty();

        Tokens.as(ALICE).contentType("video/mp4").body(source).when().put("/api/videos/{id}/source", id)
                .then().statusCode(202).body("status", is("QUEUED"));
        Tokens.as(ROOT).contentType("video/mp4").body(source).when().put("/api/videos/{id}/source", id)
                .then().statusCode(202).body("status", is("QUEUED"));
        assertThat(outboxRows(id)).hasSize(2);
    }

    @Test
    void directUploadsNeedTheS3Backend() {
        String id = Videos.create(ALICE, "No bucket here", Map.of("visibility", "PUBLIC"));

        GraphQl.postAs(ALICE, "mutation($v: ID!) { startDirectUpload(videoId: $v, size: 1000) { uploadId } }",
                Map.of("v", id)).body("errors[0].extensions.code", is("UNSUPPORTED"));
    }

    @Test
    void aNewUploadReplacesTheSourceAndQueuesANewJob() throws Exception {
        String id = Videos.create(ALICE, "Uploaded twice", Map.of("visibility", "PUBLIC"));
        byte[] first = Videos.mp4Like(20_000);
        byte[] second = Videos.mp4Like(30_000);

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
                KafkaTestClient.Reader requests = kafka.reader(CatalogTestProfile.REQUESTS_TOPIC)) {
            String firstJob = upload(id, first);
            TranscodeRequested firstRequest = request(requests, id, firstJob);
            String secondJob = upload(id, second);
            TranscodeRequested secondRequest = request(requests, id, secondJob);

            assertThat(secondJob).isNotEqualTo(firstJob);
            assertThat(secondRequest.source().path()).isNotEqualTo(firstRequest.source().path())
                    .startsWith("sources/" + id + "/");
            assertThat(secondRequest.source().sizeBytes()).isEqualTo(second.length);
            assertThat(Files.readAllBytes(mediaRoot.resolve(secondRequest.source().path()))).isEqualTo(second);
            // The replaced source goes right after the commit, in the background.
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(mediaRoot.resolve(firstRequest.source().path())).doesNotExist();
                assertThat(filesOf(id)).containsExactly(mediaRoot.resolve(secondRequest.source().path()));
            });
            assertThat(Database.row("SELECT status, job_id, source_path FROM video WHERE id = ?", UUID.fromString(id)))
                    .containsEntry("status", "QUEUED")
                    .containsEntry("job_id", UUID.fromString(secondJob))
                    .containsEntry("source_path", secondRequest.source().path());
        }
    }

    @Test
    void reUploadingWhileAJobRunsCancelsTheSupersededJob() throws Exception {
        String id = Videos.create(ALICE, "Replaced while transcoding", Map.of("visibility", "PUBLIC"));
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
                KafkaTestClient.Reader control = kafka.reader(CatalogTestProfile.CONTROL_TOPIC)) {
            String queuedJob = upload(id, Videos.mp4Like(20_000));
            String runningJob = upload(id, Videos.mp4Like(21_000));
            assertThat(cancelOf(control, id, queuedJob).get("reason").asText()).isEqualTo("SOURCE_REPLACED");

            kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(id, runningJob, 10, java.time.Instant.now()));
            Videos.awaitStatus(ALICE, id, "PROCESSING");
            String lastJob = upload(id, Videos.mp4Like(22_000));
            assertThat(cancelOf(control, id, runningJob).get("reason").asText()).isEqualTo("SOURCE_REPLACED");

            // The cancel is committed with the new job: both rows are in the outbox, in that order.
            List<Map<String, Object>> rows = Database.rows("SELECT event_type, payload FROM outbox_event "
                    + "WHERE message_key = ? ORDER BY created_at DESC, event_type LIMIT 2", id);
            assertThat(rows).extracting(row -> row.get("event_type"))
                    .containsExactlyInAnyOrder("TranscodeCancelRequested", "TranscodeRequested");
            assertThat(rows).anySatisfy(row -> assertThat((String) row.get("payload")).contains(lastJob));

            // A settled video has nothing to cancel.
            kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.completed(mediaRoot, id, lastJob));
            Videos.awaitStatus(ALICE, id, "READY");
            upload(id, Videos.mp4Like(23_000));
            assertThat(control.all(record -> id.equals(record.key()) && record.value().contains(lastJob))).isEmpty();
        }
    }

    @Test
    void anUploadThatBreaksOffLeavesNothingAndQueuesNothing() {
        String id = Videos.create(ALICE, "Broken off", Map.of("visibility", "PUBLIC"));
        byte[] start = Videos.mp4Like(300_000);

        Throwable failure = catchThrowable(() -> Tokens.as(ALICE).contentType("video/mp4")
                .body(Uploads.breakingOffAfter(start)).when().put("/api/videos/{id}/source", id));

        assertThat(failure).as("the client saw its body break off").isNotNull();
        // The server notices the break on its own time: the outcome must hold, not just appear once.
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(filesOf(id)).isEmpty();
            assertThat(outboxRows(id)).isEmpty();
            assertThat(Database.row("SELECT status FROM video WHERE id = ?", UUID.fromString(id)))
                    .containsEntry("status", "AWAITING_UPLOAD");
        });
    }

    private static String upload(String id, byte[] body) {
        return Tokens.as(ALICE).contentType("video/mp4").body(body)
                .when().put("/api/videos/{id}/source", id)
                .then().statusCode(202).extract().path("jobId");
    }

    private static TranscodeRequested request(KafkaTestClient.Reader requests, String videoId, String jobId)
            throws IOException {
        return JSON.readValue(requests.await(record -> videoId.equals(record.key())
                && record.value().contains(jobId), TIMEOUT).value(), TranscodeRequested.class);
    }

    private static com.fasterxml.jackson.databind.JsonNode cancelOf(KafkaTestClient.Reader control, String videoId,
            String jobId) throws IOException {
        return JSON.readTree(control.await(record -> videoId.equals(record.key())
                && record.value().contains("TranscodeCancelRequested") && record.value().contains(jobId), TIMEOUT).value());
    }

    private List<Path> filesOf(String videoId) throws IOException {
        Path directory = mediaRoot.resolve("sources").resolve(videoId);
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    private static List<Map<String, Object>> outboxRows(String videoId) {
        return Database.rows("SELECT id FROM outbox_event WHERE message_key = ? AND event_type = 'TranscodeRequested'",
                videoId);
    }

    private static byte[] noise(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes);
        return bytes;
    }
}
