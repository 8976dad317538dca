package dev.videobackend.catalog.media;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.S3StorageProfile;
import dev.videobackend.catalog.SwitchableS3Resource;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Tus;
import dev.videobackend.catalog.Videos;
import dev.videobackend.infra.kafka.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Videos.TIMEOUT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * The catalog with its media in a bucket: whole uploads streamed into multipart uploads, renditions proxied with
 * ETags and ranges, a deleted video's objects removed, abandoned multipart uploads aborted, a failing bucket
 * answered with a problem and leaving nothing behind.
 */
@QuarkusTest
@TestProfile(S3StorageProfile.class)
class S3MediaStorageTest {

    private static final String PREFIX = "media/";
    private static final int PART = 5 * 1024 * 1024;

    @Inject
    S3Client s3;

    @Inject
    MediaStorageProducer storage;

    @ConfigProperty(name = "catalog.storage.s3.bucket")
    String bucket;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    FileDeletions deletions;

    @AfterEach
    void bucketWorksAgain() {
        storage.bucket().orElseThrow().beforeWrite(null);
        SwitchableS3Resource.bucketReachable(true);
    }

    @Test
    void aWholeUploadStreamsIntoTheBucketInPartsAndIsQueued() {
        String id = Videos.create(ALICE, "Into the bucket", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(2 * PART + 12_345);

        Tokens.as(ALICE).contentType("video/mp4").body(source).when().put("/api/videos/{id}/source", id)
                .then().statusCode(202).body("status", is("QUEUED")).body("sizeBytes", is(source.length));

        String path = (String) Database.row("SELECT source_path FROM video WHERE id = ?", UUID.fromString(id))
                .get("source_path");
        assertThat(path).startsWith("sources/" + id + "/");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(PREFIX + path)).asByteArray()).isEqualTo(source);
        assertThat(uploadsUnder("sources/" + id + "/")).isEmpty();
    }

    @Test
    void aRefusedOrFailedUploadLeavesNoObjectAndNoMultipartUpload() {
        String id = Videos.create(ALICE, "Refused", Map.of("visibility", "PUBLIC"));
        // Sent chunked, so that the size is found over the limit only once parts were uploaded.
        byte[] tooLarge = Videos.mp4Like(64 * 1024 * 1024 + 1);
        Tokens.as(ALICE).contentType("video/mp4").body(new ByteArrayInputStream(tooLarge))
                .when().put("/api/videos/{id}/source", id)
                .then().statusCode(413).body("code", is("PAYLOAD_TOO_LARGE"));

        // The bucket goes away mid-upload: the multipart upload is begun and its first part stored, the second fails.
        AtomicInteger writes = new AtomicInteger();
        storage.bucket().orElseThrow().beforeWrite(key -> {
            if (writes.incrementAndGet() > 2) {
                throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
            }
        });
        Tokens.as(ALICE).contentType("video/mp4").body(Videos.mp4Like(2 * PART + 1)).when().put("/api/videos/{id}/source", id)
                .then().statusCode(503).contentType("application/problem+json").body("code", is("STORAGE_UNAVAILABLE"));
        storage.bucket().orElseThrow().beforeWrite(null);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(keysUnder("sources/" + id + "/")).isEmpty();
            assertThat(uploadsUnder("sources/" + id + "/")).isEmpty();
        });
        assertThat(Database.row("SELECT status, source_path FROM video WHERE id = ?", UUID.fromString(id)))
                .containsEntry("status", "AWAITING_UPLOAD").containsEntry("source_path", null);
    }

    @Test
    void renditionsAreProxiedWithETagsAndRangesAndGoWithTheVideo() {
        String id = Videos.create(ALICE, "Served from the bucket", Map.of("visibility", "PUBLIC"));
        String job;
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            job = Videos.upload(ALICE, id);
            String dir = "renditions/" + id + "/" + job + "/";
            for (String file : List.of("master.m3u8", "480p/playlist.m3u8", "360p/playlist.m3u8",
                    "audio/playlist.m3u8", "poster.jpg", "progressive.mp4")) {
                s3.putObject(b -> b.bucket(bucket).key(PREFIX + dir + file), RequestBody.fromString("content of " + file));
            }
            kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.completed(java.nio.file.Path.of("target/unused-media"), id, job));
            Videos.awaitStatus(ALICE, id, "READY");
        }
        String url = "/media/" + id + "/" + job + "/master.m3u8";

        String etag = given().when().get(url).then().statusCode(200)
                .contentType("application/vnd.apple.mpegurl")
                .header("Accept-Ranges", "bytes")
                .body(is("content of master.m3u8"))
                .extract().header("ETag");
        given().header("If-None-Match", etag).when().get(url).then().statusCode(304);
        given().header("Range", "bytes=0-6").when().get(url).then().statusCode(206)
                .header("Content-Range", "bytes 0-6/" + "content of master.m3u8".length())
                .body(is("content"));
        given().when().get("/media/" + id + "/" + job + "/missing.m3u8").then().statusCode(404);
        given().when().get("/media/" + id + "/" + job + "/.completed.json").then().statusCode(404);

        GraphQl.postAs(ALICE, "mutation($id: ID!) { deleteVideo(id: $id) }", Map.of("id", id))
                .body("errors", nullValue());

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(keysUnder("renditions/" + id + "/")).isEmpty();
            assertThat(keysUnder("sources/" + id + "/")).isEmpty();
        });
    }

    @Test
    void aResumableUploadMapsOntoPartsAndIsTheSourceOnceComplete() throws Exception {
        String id = Videos.create(ALICE, "Resumed into the bucket", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(2 * PART + 4321);
        int[] cuts = {0, 3_000_000, 7_000_000, 2 * PART, source.length};
        String location = Tus.create(ALICE, id, source.length).statusCode(201).extract().header("Location");

        String jobId = null;
        for (int i = 0; i + 1 < cuts.length; i++) {
            var answer = Tus.patch(ALICE, location, cuts[i], Arrays.copyOfRange(source, cuts[i], cuts[i + 1]))
                    .statusCode(204).header("Upload-Offset", String.valueOf(cuts[i + 1]));
            Tus.head(ALICE, location).statusCode(200).header("Upload-Offset", String.valueOf(cuts[i + 1]));
            jobId = answer.extract().header("Video-Job-Id");
        }

        assertThat(jobId).isNotNull();
        var video = Database.row("SELECT status, source_path, source_sha256 FROM video WHERE id = ?", UUID.fromString(id));
        assertThat(video).containsEntry("status", "QUEUED").containsEntry("source_sha256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source)));
        String path = (String) video.get("source_path");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(PREFIX + path)).asByteArray()).isEqualTo(source);
        assertThat(keysUnder("sources/" + id + "/")).containsExactly(PREFIX + path);
        assertThat(uploadsUnder("sources/" + id + "/")).isEmpty();
    }

    @Test
    void aTerminatedResumableUploadLeavesNothingInTheBucket() {
        String id = Videos.create(ALICE, "Given up", Map.of("visibility", "PUBLIC"));
        String location = Tus.create(ALICE, id, 2L * PART).statusCode(201).extract().header("Location");
        Tus.patch(ALICE, location, 0, Videos.mp4Like(PART + 10)).statusCode(204);

        Tus.tus(ALICE).when().delete(location).then().statusCode(204);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(keysUnder("sources/" + id + "/")).isEmpty();
            assertThat(uploadsUnder("sources/" + id + "/")).isEmpty();
        });
    }

    @Test
    void theSweepAbortsMultipartUploadsLeftBehind() {
        String key = PREFIX + "sources/" + UUID.randomUUID() + "/" + UUID.randomUUID();
        s3.createMultipartUpload(b -> b.bucket(bucket).key(key));

        assertThat(storage.bucket().orElseThrow().abortAbandonedUploads(Instant.now().minusSeconds(3600))).isZero();
        assertThat(storage.bucket().orElseThrow().abortAbandonedUploads(Instant.now().plusSeconds(60))).isPositive();

        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key)).uploads()).isEmpty();
    }

    /** The catalog dies between completing the multipart upload and committing: the next HEAD finds and accepts it. */
    @Test
    void aResumableUploadCompletedInTheBucketButNeverCommittedIsAcceptedOnTheNextHead() throws Exception {
        String id = Videos.create(ALICE, "Crashed while completing", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(PART + 4321);
        String location = Tus.create(ALICE, id, source.length).statusCode(201).extract().header("Location");
        String key = PREFIX + "sources/" + id + "/" + Tus.uploadId(location);
        // The process stops right after the multipart upload became the object: the tail's removal never starts,
        // no cleanup runs (an Error is not handled as a refusal), nothing is committed.
        storage.bucket().orElseThrow().beforeWrite(written -> {
            if (written.equals(key + ".tail") && s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key)).uploads().isEmpty()) {
                throw new SimulatedCrash();
            }
        });
        Tus.patch(ALICE, location, 0, source).statusCode(500);
        storage.bucket().orElseThrow().beforeWrite(null);
        assertThat(Database.row("SELECT status, source_path FROM video WHERE id = ?", UUID.fromString(id)))
                .containsEntry("status", "AWAITING_UPLOAD").containsEntry("source_path", null);
        assertThat(keysUnder("sources/" + id + "/")).contains(key);

        Tus.head(ALICE, location).statusCode(200).header("Upload-Offset", String.valueOf(source.length));

        var video = Database.row("SELECT status, source_path, source_sha256 FROM video WHERE id = ?", UUID.fromString(id));
        assertThat(video).containsEntry("status", "QUEUED")
                .containsEntry("source_path", "sources/" + id + "/" + Tus.uploadId(location))
                .containsEntry("source_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source)));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).isEqualTo(source);
        assertThat(keysUnder("sources/" + id + "/")).containsExactly(key);
        // The chunk sent again finds the upload complete.
        Tus.patch(ALICE, location, 0, source).statusCode(409);
    }

    /**
     * The bucket's network goes away while a deleted video's objects are removed: the removals stay recorded and are
     * retried, each failure counted, and complete once it is back; no object is left behind.
     */
    @Test
    void removalsThatFindTheBucketUnreachableStayQueuedAndCompleteOnceItIsBack() {
        String id = Videos.create(ALICE, "Deleted during an outage", Map.of("visibility", "PUBLIC"));
        Videos.upload(ALICE, id);
        assertThat(keysUnder("sources/" + id + "/")).hasSize(1);

        SwitchableS3Resource.bucketReachable(false);
        GraphQl.postAs(ALICE, "mutation($id: ID!) { deleteVideo(id: $id) }", Map.of("id", id))
                .body("errors", nullValue());
        // The removal started right after the commit fails; a later sweep fails again.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(removalsOf(id)).isNotEmpty()
                .allSatisfy(row -> assertThat((Integer) row.get("attempts")).isPositive()));
        // Tried again once the back-off (1 s in tests) has passed, and failing again.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            deletions.sweep();
            assertThat(removalsOf(id)).hasSize(2).allSatisfy(row -> {
                assertThat((Integer) row.get("attempts")).isGreaterThanOrEqualTo(2);
                assertThat((String) row.get("last_error")).isNotBlank();
            });
        });

        SwitchableS3Resource.bucketReachable(true);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            deletions.sweep();
            assertThat(removalsOf(id)).isEmpty();
        });
        assertThat(keysUnder("sources/" + id + "/")).isEmpty();
        assertThat(keysUnder("renditions/" + id + "/")).isEmpty();
    }

    private static List<Map<String, Object>> removalsOf(String id) {
        return Database.rows("SELECT path, attempts, last_error FROM file_deletion WHERE path LIKE ?", "%" + id + "%");
    }

    /** Plays a process that stops where it is thrown: an Error, which no refusal handling catches. */
    private static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    private List<String> keysUnder(String relativePrefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX + relativePrefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private List<String> uploadsUnder(String relativePrefix) {
        return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(PREFIX + relativePrefix)).uploads().stream()
                .map(MultipartUpload::key).toList();
    }
}
