package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.S3DirectProfile;
import dev.videobackend.catalog.Tus;
import dev.videobackend.catalog.Videos;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.infra.kafka.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static dev.videobackend.catalog.S3DirectProfile.CDN;
import static dev.videobackend.catalog.S3DirectProfile.PART;
import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Tokens.BOB;
import static dev.videobackend.catalog.Videos.TIMEOUT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * Direct-to-bucket uploads against a real S3 server (S3Proxy), PostgreSQL and Kafka: the client sends the parts to
 * presigned URLs with plain HTTP, the completion queues the transcode; every refusal; an abandoned upload aborted.
 * Also, with delivery by redirect, what GraphQL names media by, and a completed tus upload whose row expires.
 */
@QuarkusTest
@TestProfile(S3DirectProfile.class)
class DirectUploadTest {

    private static final String PREFIX = "media/";
    private static final String START = "mutation($v: ID!, $size: BigInteger!) { startDirectUpload(videoId: $v, "
            + "size: $size) { uploadId partSizeBytes expiresAt parts { number sizeBytes url } } }";
    private static final String COMPLETE = "mutation($v: ID!, $u: ID!, $parts: [DirectUploadPartInput!]!) { "
            + "completeDirectUpload(videoId: $v, uploadId: $u, parts: $parts) { id status jobId sizeBytes sha256 } }";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    S3Client s3;

    @Inject
    DirectUploadService uploads;

    @Inject
    ResumableUploadService resumable;

    @Inject
    FileDeletions deletions;

    @ConfigProperty(name = "catalog.storage.s3.bucket")
    String bucket;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void partsSentToTheirUrlsAreCompletedIntoTheSourceAndQueued() throws Exception {
        String id = Videos.create(ALICE, "Straight to the bucket", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(PART + 12_345);

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
                KafkaTestClient.Reader requests = kafka.reader(CatalogTestProfile.REQUESTS_TOPIC)) {
            Started started = start(ALICE, id, source.length);
            assertThat(started.sizes()).containsExactly((long) PART, 12_345L);
            assertThat(started.urls()).allSatisfy(url -> assertThat(url).startsWith(s3Endpoint()));
            List<String> etags = List.of(put(started.urls().get(0), source, 0, PART),
                    put(started.urls().get(1), source, PART, source.length));

            String jobId = complete(ALICE, id, started.uploadId(), parts(etags))
                    .body("errors", nullValue())
                    .body("data.completeDirectUpload.status", is("QUEUED"))
                    .body("data.completeDirectUpload.sizeBytes", is(source.length))
                    .body("data.completeDirectUpload.sha256", nullValue())
                    .extract().path("data.completeDirectUpload.jobId");

            String event = requests.await(r -> id.equals(r.key()) && r.value().contains(jobId), TIMEOUT).value();
            String path = (String) Database.row("SELECT source_path FROM video WHERE id = ?", UUID.fromString(id))
                    .get("source_path");
            assertThat(path).startsWith("sources/" + id + "/");
            // The catalog never read the bytes: the event has no SHA-256 (an optional field, left out).
            assertThat(event).contains("\"path\":\"" + path + "\"", "\"sizeBytes\":" + source.length)
                    .doesNotContain("sha256");
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(PREFIX + path)).asByteArray()).isEqualTo(source);
            assertThat(uploadsUnder("sources/" + id + "/")).isEmpty();
            assertThat(Database.rows("SELECT id FROM direct_upload WHERE video_id = ?", UUID.fromString(id))).isEmpty();
        }
        Videos.video(ALICE, id, "source { sizeBytes sha256 }")
                .body("data.video.source.sizeBytes", is(source.length))
                .body("data.video.source.sha256", nullValue());
    }

    @Test
    void startingIsRefusedOverTheLimitsAndToOthers() {
        String id = Videos.create(ALICE, "Refused before a byte", Map.of("visibility", "PUBLIC"));

        assertCode(GraphQl.postAs(ALICE, START, Map.of("v", id, "size", 64L * 1024 * 1024 + 1)), "PAYLOAD_TOO_LARGE");
        assertCode(GraphQl.postAs(ALICE, START, Map.of("v", id, "size", 4L * PART + 1)), "TOO_MANY_PARTS");
        assertCode(GraphQl.postAs(ALICE, START, Map.of("v", id, "size", 0)), "VALIDATION");
        // Not READY yet, so hidden from anyone but its owner: as absent as a video that does not exist.
        assertCode(GraphQl.postAs(BOB, START, Map.of("v", id, "size", 1000)), "NOT_FOUND");
        assertCode(GraphQl.post(START, Map.of("v", id, "size", 1000)), "UNAUTHENTICATED");

        assertThat(uploadsUnder("sources/" + id + "/")).isEmpty();
        assertThat(Database.rows("SELECT id FROM direct_upload WHERE video_id = ?", UUID.fromString(id))).isEmpty();
    }

    @Test
    void aPartUrlTakesOnlyItsPartsLength() throws Exception {
        String id = Videos.create(ALICE, "Signed lengths", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(100_000);
        Started started = start(ALICE, id, source.length);

        HttpResponse<String> longer = HTTP.send(HttpRequest.newBuilder(URI.create(started.urls().get(0)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[source.length + 1])).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(longer.statusCode()).isEqualTo(403);
    }

    @Test
    void completingIsRefusedToOthersAndForOtherVideos() throws Exception {
        String id = Videos.create(ALICE, "Not Bob's", Map.of("visibility", "PUBLIC"));
        String other = Videos.create(ALICE, "Another video", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(50_000);
        Started started = start(ALICE, id, source.length);
        List<Map<String, Object>> parts = parts(List.of(put(started.urls().get(0), source, 0, source.length)));

        assertCode(complete(BOB, id, started.uploadId(), parts), "NOT_FOUND");
        assertCode(complete(ALICE, other, started.uploadId(), parts), "NOT_FOUND");
        assertCode(complete(ALICE, id, started.uploadId(), List.of(Map.of("number", 2, "etag", "x"))), "VALIDATION");

        complete(ALICE, id, started.uploadId(), parts).body("errors", nullValue())
                .body("data.completeDirectUpload.status", is("QUEUED"));
        // Completed: it is gone, like any finished upload.
        assertCode(complete(ALICE, id, started.uploadId(), parts), "NOT_FOUND");
    }

    @Test
    void anObjectOfAnotherSizeIsRefusedAndRemoved() throws Exception {
        String id = Videos.create(ALICE, "Short by a part", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(PART + 1000);
        Started started = start(ALICE, id, source.length);
        // Only the first part is sent and named: the completed object is shorter than declared.
        String first = put(started.urls().get(0), source, 0, PART);

        assertCode(complete(ALICE, id, started.uploadId(), parts(List.of(first))), "SIZE_MISMATCH");

        assertNothingLeftOf(id);
    }

    @Test
    void anObjectThatIsNotAVideoIsRefusedAndRemoved() throws Exception {
        String id = Videos.create(ALICE, "Not a video", Map.of("visibility", "PUBLIC"));
        byte[] noise = new byte[40_000];
        new Random(7).nextBytes(noise);
        Started started = start(ALICE, id, noise.length);
        String etag = put(started.urls().get(0), noise, 0, noise.length);

        assertCode(complete(ALICE, id, started.uploadId(), parts(List.of(etag))), "UNSUPPORTED_MEDIA");

        assertNothingLeftOf(id);
    }

    @Test
    void anExpiredUploadIsRefusedAndAbortedAndAnAbandonedOneIsSweptAway() throws Exception {
        String id = Videos.create(ALICE, "Too late", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(PART + 10);
        Started late = start(ALICE, id, source.length);
        String etag = put(late.urls().get(0), source, 0, PART);
        expire(late.uploadId());

        assertCode(complete(ALICE, id, late.uploadId(), parts(List.of(etag))), "UPLOAD_EXPIRED");
        assertNothingLeftOf(id);

        // Abandoned: a part sent, never completed; the sweep aborts it once it expired, not before.
        Started abandoned = start(ALICE, id, source.length);
        put(abandoned.urls().get(0), source, 0, PART);
        uploads.removeExpired();
        assertThat(uploadsUnder("sources/" + id + "/")).hasSize(1);
        expire(abandoned.uploadId());
        uploads.removeExpired();
        assertNothingLeftOf(id);
    }

    @Test
    void graphQlNamesPublicMediaByCdnUrlsAndOtherMediaByCatalogUrlsThatRedirectToPresignedOnes() {
        String shown = Videos.create(ALICE, "On the CDN", Map.of("visibility", "PUBLIC"));
        String unlisted = Videos.create(ALICE, "Unlisted", Map.of("visibility", "UNLISTED"));
        String shownJob = ready(shown);
        String unlistedJob = ready(unlisted);
        String media = "media { hls poster { url } progressive { url } audio { url } } renditions { url } version";

        String cdnDir = CDN + "/" + PREFIX + "renditions/" + shown + "/" + shownJob + "/";
        for (int i = 0; i < 2; i++) {
            // The second anonymous answer comes from the catalog's cache: the same, nothing in it expires.
            Videos.video(null, shown, media)
                    .body("data.video.media.hls", is(cdnDir + "master.m3u8"))
                    .body("data.video.media.poster.url", is(cdnDir + "poster.jpg"))
                    .body("data.video.renditions[0].url", is(cdnDir + "480p/playlist.m3u8"));
        }
        String catalogDir = "/media/" + unlisted + "/" + unlistedJob + "/";
        String answer = Videos.video(null, unlisted, media)
                .body("data.video.media.hls", is(catalogDir + "master.m3u8"))
                .body("data.video.media.progressive.url", is(catalogDir + "progressive.mp4"))
                .extract().asString();
        assertThat(answer).doesNotContain("X-Amz-");

        // Their /media URLs: a public video's to the CDN, the unlisted one's to a short-lived presigned URL.
        given().redirects().follow(false).when().get("/media/" + shown + "/" + shownJob + "/master.m3u8")
                .then().statusCode(302).header("Location", cdnDir + "master.m3u8");
        String presigned = given().redirects().follow(false).when().get(catalogDir + "master.m3u8")
                .then().statusCode(302).header("Cache-Control", "private, no-store").extract().header("Location");
        assertThat(presigned).startsWith(s3Endpoint() + "/" + bucket + "/" + PREFIX + "renditions/" + unlisted + "/")
                .contains("X-Amz-Signature=", "X-Amz-Expires=600");

        // Made public, its media moves to the CDN in GraphQL too: the cached answer is stale and dropped.
        int version = Videos.video(ALICE, unlisted, "version").extract().path("data.video.version");
        GraphQl.postAs(ALICE, "mutation($id: ID!, $v: Int!) { updateVideo(id: $id, expectedVersion: $v, "
                + "input: {visibility: PUBLIC}) { id } }", Map.of("id", unlisted, "v", version))
                .body("errors", nullValue());
        Videos.video(null, unlisted, media).body("data.video.media.hls",
                is(CDN + "/" + PREFIX + "renditions/" + unlisted + "/" + unlistedJob + "/master.m3u8"));
    }

    @Test
    void aCompletedResumableUploadWhoseRowExpiresKeepsItsSource() {
        String id = Videos.create(ALICE, "Kept after its upload expired", Map.of("visibility", "PUBLIC"));
        byte[] source = Videos.mp4Like(PART + 777);
        String location = Tus.create(ALICE, id, source.length).statusCode(201).extract().header("Location");
        Tus.patch(ALICE, location, 0, source).statusCode(204);
        String path = (String) Database.row("SELECT source_path FROM video WHERE id = ?", UUID.fromString(id))
                .get("source_path");
        Database.update("UPDATE resumable_upload SET expires_at = ? WHERE id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(60)), Tus.uploadId(location));

        assertThat(resumable.removeExpiredBefore(Instant.now())).isPositive();
        deletions.sweep();

        assertThat(Database.rows("SELECT id FROM resumable_upload WHERE id = ?", Tus.uploadId(location))).isEmpty();
        assertThat(Database.rows("SELECT id FROM file_deletion WHERE path LIKE ?", "sources/" + id + "/%")).isEmpty();
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(PREFIX + path)).asByteArray()).isEqualTo(source);
    }

    /** A video made READY by a completion event (its files need not exist: media is redirected). */
    private String ready(String id) {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            String job = Videos.upload(ALICE, id);
            kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.completed(java.nio.file.Path.of("target/unused-media"), id, job));
            Videos.awaitStatus(ALICE, id, "READY");
            return job;
        }
    }

    private record Started(String uploadId, List<Long> sizes, List<String> urls) {
    }

    private static Started start(String user, String videoId, long size) {
        ValidatableResponse answer = GraphQl.postAs(user, START, Map.of("v", videoId, "size", size))
                .body("errors", nullValue())
                .body("data.startDirectUpload.partSizeBytes", is(PART));
        List<Map<String, Object>> parts = answer.extract().path("data.startDirectUpload.parts");
        List<Long> sizes = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i)).containsEntry("number", i + 1);
            sizes.add(((Number) parts.get(i).get("sizeBytes")).longValue());
            urls.add((String) parts.get(i).get("url"));
        }
        return new Started(answer.extract().path("data.startDirectUpload.uploadId"), sizes, urls);
    }

    /** Sends a part as a browser or any HTTP client would: a plain PUT to its URL. Returns the ETag. */
    private static String put(String url, byte[] bytes, int from, int to) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, from, to - from)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.headers().firstValue("ETag").orElseThrow();
    }

    private static List<Map<String, Object>> parts(List<String> etags) {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (String etag : etags) {
            parts.add(Map.of("number", parts.size() + 1, "etag", etag));
        }
        return parts;
    }

    private static ValidatableResponse complete(String user, String videoId, String uploadId,
            List<Map<String, Object>> parts) {
        return GraphQl.postAs(user, COMPLETE, Map.of("v", videoId, "u", uploadId, "parts", parts));
    }

    private static void assertCode(ValidatableResponse answer, String code) {
        answer.body("errors[0].extensions.code", is(code));
    }

    private static void expire(String uploadId) {
        Database.update("UPDATE direct_upload SET expires_at = ? WHERE id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(60)), UUID.fromString(uploadId));
    }

    /** No object, no multipart upload, no upload row, and the video still waiting for its source. */
    private void assertNothingLeftOf(String id) {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(keysUnder("sources/" + id + "/")).isEmpty();
            assertThat(uploadsUnder("sources/" + id + "/")).isEmpty();
        });
        assertThat(Database.rows("SELECT id FROM direct_upload WHERE video_id = ?", UUID.fromString(id))).isEmpty();
        assertThat(Database.row("SELECT status FROM video WHERE id = ?", UUID.fromString(id)))
                .containsEntry("status", "AWAITING_UPLOAD");
    }

    private String s3Endpoint() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.s3.endpoint-override", String.class);
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
