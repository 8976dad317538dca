package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Uploads;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.videobackend.catalog.Tus.CHUNK_TYPE;
import static dev.videobackend.catalog.Tus.base64;
import static dev.videobackend.catalog.Tus.create;
import static dev.videobackend.catalog.Tus.head;
import static dev.videobackend.catalog.Tus.metadata;
import static dev.videobackend.catalog.Tus.patch;
import static dev.videobackend.catalog.Tus.tus;
import static dev.videobackend.catalog.Tus.uploadId;
import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Tokens.BOB;
import static dev.videobackend.catalog.Tokens.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Resumable uploads over tus 1.0, as a tus client speaks it, against the real database and media directory. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class TusUploadTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int LIMIT = 1_048_576;

    @ConfigProperty(name = "catalog.media.root")
    Path mediaRoot;

    @Inject
    ResumableUploadService uploads;

    @Test
    void optionsAnnouncesTheProtocolWithoutATusHeader() {
        Tokens.as(null).when().options("/api/uploads").then().statusCode(204)
                .header("Tus-Version", "1.0.0")
                .header("Tus-Extension", "creation,termination,expiration")
                .header("Tus-Max-Size", String.valueOf(LIMIT));
    }

    @Test
    void anUploadInThreeChunksBecomesTheSourceAndQueuesTheTranscode() throws Exception {
        String videoId = Videos.create(ALICE, "Resumable", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(900_000);

        String location = create(ALICE, videoId, source.length).statusCode(201)
                .header("Upload-Offset", "0")
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Expires", notNullValue())
                .header("Location", matchesPattern("/api/uploads/[0-9a-f-]{36}"))
                .extract().header("Location");
        head(ALICE, location).statusCode(200)
                .header("Upload-Offset", "0").header("Upload-Length", String.valueOf(source.length))
                .header("Cache-Control", "no-store").body(emptyOrNullString());

        patch(ALICE, location, 0, Arrays.copyOfRange(source, 0, 300_000)).statusCode(204)
                .header("Upload-Offset", "300000").header("Tus-Resumable", "1.0.0");
        patch(ALICE, location, 300_000, Arrays.copyOfRange(source, 300_000, 600_000)).statusCode(204)
                .header("Upload-Offset", "600000");
        head(ALICE, location).statusCode(200).header("Upload-Offset", "600000");
        assertThat(Database.row("SELECT upload_offset FROM resumable_upload WHERE id = ?", uploadId(location)))
                .containsEntry("upload_offset", 600_000L);
        String jobId = patch(ALICE, location, 600_000, Arrays.copyOfRange(source, 600_000, source.length))
                .statusCode(204)
                .header("Upload-Offset", String.valueOf(source.length))
                .extract().header("Video-Job-Id");

        var video = Database.row("SELECT status, job_id, source_path, source_size_bytes, source_sha256 FROM video WHERE id = ?",
                UUID.fromString(videoId));
        assertThat(video).containsEntry("status", "QUEUED").containsEntry("job_id", UUID.fromString(jobId))
                .containsEntry("source_size_bytes", (long) source.length)
                .containsEntry("source_sha256", sha256(source));
        assertThat(Files.readAllBytes(mediaRoot.resolve((String) video.get("source_path")))).isEqualTo(source);
        assertThat(Database.rows("SELECT id FROM outbox_event WHERE message_key = ? AND payload LIKE ?",
                videoId, "%" + jobId + "%")).hasSize(1);
        // A client that lost the last answer can still learn that the upload is complete.
        head(ALICE, location).statusCode(200).header("Upload-Offset", String.valueOf(source.length));
        patch(ALICE, location, source.length, new byte[1]).statusCode(409).body("code", is("CONFLICT"));
    }

    @Test
    void aChunkThatBreaksOffKeepsWhatArrivedAndTheClientResumesFromHead() throws Exception {
        String videoId = Videos.create(ALICE, "Interrupted", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(800_000);
        String location = create(ALICE, videoId, source.length).statusCode(201).extract().header("Location");

        Throwable dropped = catchThrowable(() -> Tokens.as(ALICE).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0").contentType(CHUNK_TYPE)
                .body(Uploads.breakingOffAfter(Arrays.copyOfRange(source, 0, 500_000)))
                .when().patch(location));
        assertThat(dropped).as("the client saw its chunk break off").isNotNull();

        // The server records the break on its own time; resume from whatever HEAD then says, as a client does.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            long offset = Long.parseLong(head(ALICE, location).statusCode(200).extract().header("Upload-Offset"));
            assertThat(offset).isBetween(0L, 500_000L);
            patch(ALICE, location, offset, Arrays.copyOfRange(source, (int) offset, source.length)).statusCode(204)
                    .header("Upload-Offset", String.valueOf(source.length));
        });

        assertThat(Database.row("SELECT status, source_sha256 FROM video WHERE id = ?", UUID.fromString(videoId)))
                .containsEntry("status", "QUEUED").containsEntry("source_sha256", sha256(source));
    }

    @Test
    void aChunkAtTheWrongOffsetIsAConflictAndChangesNothing() throws Exception {
        String videoId = Videos.create(ALICE, "Offsets", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(200_000);
        String location = create(ALICE, videoId, source.length).statusCode(201).extract().header("Location");
        patch(ALICE, location, 0, Arrays.copyOfRange(source, 0, 100_000)).statusCode(204);

        patch(ALICE, location, 50_000, Arrays.copyOfRange(source, 50_000, 100_000)).statusCode(409)
                .contentType("application/problem+json").body("code", is("CONFLICT"))
                .body("detail", is("Upload-Offset 50000 does not match the upload's offset 100000: ask with HEAD and resume from there"));
        patch(ALICE, location, 0, source).statusCode(409);

        head(ALICE, location).header("Upload-Offset", "100000");
        assertThat(Files.size(partialFile(videoId, location))).isEqualTo(100_000);
    }

    @Test
    void aChunkWhileAnotherIsBeingWrittenIsAConflict() throws Exception {
        String videoId = Videos.create(ALICE, "Two writers", Map.of());
        byte[] source = Videos.mp4Like(400_000);
        String location = create(ALICE, videoId, source.length).statusCode(201).extract().header("Location");
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> first = client.submit(() -> tus(ALICE).header("Upload-Offset", "0").contentType(CHUNK_TYPE)
                    .body(Uploads.pausingAfter(source, 200_000, release))
                    .when().patch(location).then().extract().statusCode());
            // The first chunk holds the upload once its bytes reach the file.
            await().atMost(TIMEOUT).until(() -> Files.size(partialFile(videoId, location)) > 0);

            patch(ALICE, location, 0, source).statusCode(409).body("code", is("CONFLICT"))
                    .body("detail", is("Another request is writing to this upload; retry once it ends"));

            release.countDown();
            assertThat(first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(204);
        } finally {
            release.countDown();
            client.shutdownNow();
        }
        assertThat(Database.row("SELECT source_sha256 FROM video WHERE id = ?", UUID.fromString(videoId)))
                .containsEntry("source_sha256", sha256(source));
    }

    @Test
    void protocolErrorsAreRefusedWithTheirStatus() {
        String videoId = Videos.create(ALICE, "Protocol", Map.of("visibility", "PUBLIC"));
        String location = create(ALICE, videoId, 1_000).statusCode(201).extract().header("Location");

        // No Tus-Resumable, or a version this server does not speak: 412 naming the versions it does.
        Tokens.as(ALICE).header("Upload-Offset", "0").contentType(CHUNK_TYPE).body(new byte[10])
                .when().patch(location).then().statusCode(412).header("Tus-Version", "1.0.0")
                .contentType("application/problem+json").body("code", is("TUS_VERSION_UNSUPPORTED"));
        Tokens.as(ALICE).header("Tus-Resumable", "0.2.2").when().head(location).then().statusCode(412)
                .header("Tus-Version", "1.0.0");
        // A chunk must say what it is.
        Tokens.as(ALICE).header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                .contentType("application/octet-stream").body(new byte[10])
                .when().patch(location).then().statusCode(415).body("code", is("UNSUPPORTED_MEDIA"));
        // Over the limit, declared up front or by a chunk that goes past the declared length.
        create(ALICE, videoId, LIMIT + 1).statusCode(413).body("code", is("PAYLOAD_TOO_LARGE"));
        patch(ALICE, location, 0, Videos.mp4Like(1_001)).statusCode(413).body("code", is("PAYLOAD_TOO_LARGE"));
        // Creation needs a length and the video.
        tus(ALICE).header("Upload-Metadata", metadata(videoId)).when().post("/api/uploads")
                .then().statusCode(400).body("detail", is("The header Upload-Length is required"));
        tus(ALICE).header("Upload-Length", "1000").header("Upload-Metadata", "filename " + base64("clip.mp4"))
                .when().post("/api/uploads")
                .then().statusCode(400).body("detail", is("Upload-Metadata must name the video: videoId <base64 of its id>"));
        create(ALICE, UUID.randomUUID().toString(), 1_000).statusCode(404).body("code", is("NOT_FOUND"));
        head(ALICE, "/api/uploads/" + UUID.randomUUID()).statusCode(404);

        head(ALICE, location).statusCode(200).header("Upload-Offset", "0");
    }

    @Test
    void onlyTheUploaderOrAnAdminMayCreateOrContinueAnUpload() throws Exception {
        String videoId = Videos.create(ALICE, "Alice's resumable", Map.of("visibility", "PRIVATE"));

        create(null, videoId, 1_000).statusCode(401).body("code", is("UNAUTHENTICATED"));
        // A private video, and someone else's upload, are as absent to Bob as ones that do not exist.
        create(BOB, videoId, 1_000).statusCode(404).body("code", is("NOT_FOUND"));
        String location = create(ALICE, videoId, 1_000).statusCode(201).extract().header("Location");

        head(null, location).statusCode(401);
        head(BOB, location).statusCode(404);
        patch(BOB, location, 0, Videos.mp4Like(1_000)).statusCode(404);
        head(ROOT, location).statusCode(200).header("Upload-Offset", "0");
        assertThat(Files.size(partialFile(videoId, location))).isZero();
    }

    @Test
    void aCompletedUploadThatIsNotAVideoIsRefusedAndRemoved() {
        String videoId = Videos.create(ALICE, "Disguised", Map.of("visibility", "PUBLIC"));
        byte[] playlist = "#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n".getBytes(StandardCharsets.UTF_8);
        String location = create(ALICE, videoId, playlist.length).statusCode(201).extract().header("Location");

        patch(ALICE, location, 0, playlist).statusCode(415).body("code", is("UNSUPPORTED_MEDIA"));

        head(ALICE, location).statusCode(404);
        assertThat(Database.rows("SELECT id FROM resumable_upload WHERE id = ?", uploadId(location))).isEmpty();
        await().atMost(TIMEOUT).until(() -> !Files.exists(partialFile(videoId, location)));
        assertThat(Database.row("SELECT status FROM video WHERE id = ?", UUID.fromString(videoId)))
                .containsEntry("status", "AWAITING_UPLOAD");
        assertThat(Database.rows("SELECT id FROM outbox_event WHERE message_key = ?", videoId)).isEmpty();
    }

    @Test
    void terminationAndExpiryRemoveTheUploadAndItsFile() {
        String videoId = Videos.create(ALICE, "Abandoned", Map.of("visibility", "PUBLIC"));
        String terminated = create(ALICE, videoId, 10_000).statusCode(201).extract().header("Location");
        patch(ALICE, terminated, 0, Videos.mp4Like(4_000)).statusCode(204);
        tus(ALICE).when().delete(terminated).then().statusCode(204).header("Tus-Resumable", "1.0.0");
        head(ALICE, terminated).statusCode(404);
        await().atMost(TIMEOUT).until(() -> !Files.exists(partialFile(videoId, terminated)));

        String abandoned = create(ALICE, videoId, 10_000).statusCode(201).extract().header("Location");
        patch(ALICE, abandoned, 0, Videos.mp4Like(4_000)).statusCode(204);
        Instant expiry = ((Timestamp) Database.row("SELECT expires_at FROM resumable_upload WHERE id = ?",
                uploadId(abandoned)).get("expires_at")).toInstant();
        assertThat(expiry).isAfter(Instant.now().plus(Duration.ofHours(23)));

        assertThat(uploads.removeExpiredBefore(expiry.plusSeconds(1))).isPositive();

        head(ALICE, abandoned).statusCode(404);
        assertThat(Database.rows("SELECT id FROM resumable_upload WHERE id = ?", uploadId(abandoned))).isEmpty();
        await().atMost(TIMEOUT).until(() -> !Files.exists(partialFile(videoId, abandoned)));
    }

    private Path partialFile(String videoId, String location) {
        return mediaRoot.resolve("sources").resolve(videoId).resolve(".upload-" + uploadId(location) + ".part");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
