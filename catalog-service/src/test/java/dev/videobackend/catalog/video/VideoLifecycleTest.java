package dev.videobackend.catalog.video;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import dev.videobackend.catalog.events.EventJson;
import dev.videobackend.catalog.events.TranscodeRequested;
import dev.videobackend.infra.kafka.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.videobackend.catalog.Tokens.ALICE;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The catalog's side of one video's life, over HTTP and Kafka, against the real PostgreSQL and broker. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class VideoLifecycleTest extends KafkaTestBase {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String VIDEO = """
            query($id: ID!) { video(id: $id) {
              id title description category status uploadUrl version
              source { sizeBytes sha256 width height durationSeconds }
              renditions { height width videoCodec bitrate mimeType sizeBytes durationSeconds url }
              progress { stage percent speed renditionsDone renditionsTotal }
              failure { code message }
            } }""";

    @Test
    void createVideoStoresItAwaitingItsUpload() {
        String id = GraphQl.postAs(Tokens.ALICE, """
                        mutation { createVideo(input: {title: "  Sunset over the bay ", description: "Shot at dusk",
                                                       category: "Travel"}) { id status title category uploadUrl } }""",
                        Map.of())
                .body("errors", nullValue())
                .body("data.createVideo.status", is("AWAITING_UPLOAD"))
                .body("data.createVideo.title", is("Sunset over the bay"))
                .body("data.createVideo.category", is("travel"))
                .extract().path("data.createVideo.id");

        GraphQl.postAs(Tokens.ALICE, "query($id: ID!) { video(id: $id) { uploadUrl } }", Map.of("id", id))
                .body("data.video.uploadUrl", is("/api/videos/" + id + "/source"));
        Map<String, Object> row = Database.row("SELECT title, status, description FROM video WHERE id = ?", UUID.fromString(id));
        assertThat(row).containsEntry("title", "Sunset over the bay").containsEntry("status", "AWAITING_UPLOAD")
                .containsEntry("description", "Shot at dusk");
    }

    @Test
    void uploadStoresTheSourceAndPublishesTranscodeRequestedThroughTheOutbox() throws Exception {
        String id = createVideo("Upload me");
        byte[] source = Videos.mp4Like(300_000);

        try (KafkaTestClient.Reader requests = kafka.reader(CatalogTestProfile.REQUESTS_TOPIC)) {
            String jobId = Tokens.as(Tokens.ALICE).contentType("video/mp4").body(source)
                    .when().put("/api/videos/{id}/source", id)
                    .then().statusCode(202)
                    .body("status", is("QUEUED"))
                    .body("sizeBytes", is(source.length))
                    .body("sha256", is(sha256(source)))
                    .extract().path("jobId");

            ConsumerRecord<String, String> record = requests.await(r -> id.equals(r.key()), TIMEOUT);
            TranscodeRequested request = new com.fasterxml.jackson.databind.ObjectMapper()
                    .findAndRegisterModules().readValue(record.value(), TranscodeRequested.class);
            assertThat(request.type()).isEqualTo("TranscodeRequested");
            assertThat(request.schemaVersion()).isEqualTo(EventJson.SCHEMA_VERSION);
            assertThat(request.videoId()).hasToString(id);
            assertThat(request.jobId()).hasToString(jobId);
            assertThat(request.source().sizeBytes()).isEqualTo(source.length);
            assertThat(request.source().sha256()).isEqualTo(sha256(source));
            assertThat(request.source().path()).startsWith("sources/" + id + "/");
            assertThat(Files.readAllBytes(mediaRoot.resolve(request.source().path()))).isEqualTo(source);
            assertThat(KafkaTestClient.header(record, "ce_id")).isEqualTo(request.eventId().toString());
            assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo("dev.videobackend.TranscodeRequested");
            assertThat(KafkaTestClient.header(record, "ce_source")).isEqualTo("/catalog-service");
            assertThat(KafkaTestClient.header(record, "ce_subject")).isEqualTo(id);

            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Database.row(
                    "SELECT sent_at FROM outbox_event WHERE id = ?", request.eventId()).get("sent_at")).isNotNull());
            assertThat(Database.row("SELECT status, job_id FROM video WHERE id = ?", UUID.fromString(id)))
                    .containsEntry("status", "QUEUED").containsEntry("job_id", UUID.fromString(jobId));
        }
    }

    @Test
    void progressThenCompletionMakeTheVideoReadyAndItsRenditionsAreServed() throws Exception {
        String id = createVideo("Transcode me");
        String jobId = upload(id, Videos.mp4Like(10_000));
        byte[] rendition = randomBytes(50_000);

        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, progress(id, jobId, 40.0, Instant.now()));
        await().atMost(TIMEOUT).untilAsserted(() -> video(id)
                .body("data.video.status", is("PROCESSING"))
                .body("data.video.progress.percent", is(40.0f))
                .body("data.video.progress.stage", is("ENCODING")));

        String completed = Videos.completed(mediaRoot, id, jobId);
        Files.write(mediaRoot.resolve("renditions/" + id + "/" + jobId + "/progressive.mp4"), rendition);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, completed);
        await().atMost(TIMEOUT).untilAsserted(() -> video(id).body("data.video.status", is("READY")));
        String url = Videos.video(ALICE, id, "media { progressive { url } }").extract().path("data.video.media.progressive.url");
        video(id).body("data.video.renditions", hasSize(2))
                .body("data.video.renditions[1].height", is(360))
                .body("data.video.renditions[1].width", is(640))
                .body("data.video.renditions[1].bitrate", is(951_000))
                .body("data.video.progress.percent", is(100.0f))
                .body("data.video.source.width", is(1280))
                .body("data.video.source.durationSeconds", is(10.0f));
        assertThat(url).isEqualTo("/media/" + id + "/" + jobId + "/progressive.mp4");

        String etag = given().when().get(url).then().statusCode(200)
                .contentType("video/mp4")
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .header("Accept-Ranges", "bytes")
                .header("ETag", notNullValue())
                .extract().header("ETag");
        assertThat(given().when().get(url).asByteArray()).isEqualTo(rendition);
        byte[] part = given().header("Range", "bytes=100-199").when().get(url).then().statusCode(206)
                .header("Content-Range", "bytes 100-199/" + rendition.length)
                .extract().asByteArray();
        assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(rendition, 100, 200));
        given().header("If-None-Match", etag).when().get(url).then().statusCode(304);
        given().header("Range", "bytes=999999-").when().get(url).then().statusCode(416);
    }

    @Test
    void failureIsRecordedWithItsCode() {
        String id = createVideo("Broken upload");
        String jobId = upload(id, Videos.mp4Like(1_000));

        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, """
                {"eventId":"%s","type":"TranscodeFailed","schemaVersion":1,"videoId":"%s","jobId":"%s",
                 "occurredAt":"%s","code":"CORRUPT_INPUT","message":"Invalid data found when processing input",
                 "retryable":false}""".formatted(UUID.randomUUID(), id, jobId, Instant.now()));

        await().atMost(TIMEOUT).untilAsserted(() -> video(id)
                .body("data.video.status", is("FAILED"))
                .body("data.video.failure.code", is("CORRUPT_INPUT"))
                .body("data.video.failure.message", is("Invalid data found when processing input")));
    }

    @Test
    void malformedEventGoesToTheDeadLetterTopicAndConsumptionGoesOn() {
        String id = createVideo("Survives garbage");
        String jobId = upload(id, Videos.mp4Like(1_000));

        try (KafkaTestClient.Reader deadLetters = kafka.reader(CatalogTestProfile.EVENTS_DEAD_LETTER_TOPIC)) {
            kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, "{\"type\": \"TranscodeProgress\", \"percent\": \"lots\"");
            kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, progress(id, jobId, 10.0, Instant.now()));

            ConsumerRecord<String, String> dead = deadLetters.await(r -> id.equals(r.key()), TIMEOUT);
            assertThat(dead.value()).startsWith("{\"type\": \"TranscodeProgress\"");
            assertThat(KafkaTestClient.header(dead, "dead-letter-reason")).startsWith("Not a TranscoderEvent");
            await().atMost(TIMEOUT).untilAsserted(() -> video(id).body("data.video.status", is("PROCESSING")));
        }
    }

    @Test
    void badInputGetsASpecificErrorCode() {
        GraphQl.postAs(Tokens.ALICE, "mutation { createVideo(input: {title: \"   \", category: \"news\"}) { id } }", Map.of())
                .body("data", nullValue())
                .body("errors[0].message", is("title must have 1 to 200 characters"))
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].extensions.exception", nullValue());
        GraphQl.postAs(Tokens.ALICE, "mutation { createVideo(input: {title: \"ok\", category: \"no spaces\"}) { id } }", Map.of())
                .body("errors[0].extensions.code", is("VALIDATION"));
        GraphQl.postAs(Tokens.ALICE, "query { video(id: \"not-a-uuid\") { id } }", Map.of())
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", is("Not a video id (a UUID): not-a-uuid"));
        GraphQl.postAs(Tokens.ALICE, "query($id: ID!) { video(id: $id) { id } }", Map.of("id", UUID.randomUUID().toString()))
                .body("errors", nullValue())
                .body("data.video", nullValue());

        // Uploading needs a token whatever the video; with one, an unknown video is 404.
        given().contentType("video/mp4").body(new byte[] {1, 2, 3})
                .when().put("/api/videos/{id}/source", UUID.randomUUID())
                .then().statusCode(401).contentType("application/problem+json").body("code", is("UNAUTHENTICATED"));
        Tokens.as(Tokens.ALICE).contentType("video/mp4").body(new byte[] {1, 2, 3})
                .when().put("/api/videos/{id}/source", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json")
                .body("code", is("NOT_FOUND")).body("status", is(404));
        given().contentType("video/mp4").body(new byte[] {1})
                .when().put("/api/videos/not-a-uuid/source")
                .then().statusCode(400).contentType("application/problem+json").body("code", is("VALIDATION"));
        String id = createVideo("Empty upload");
        Tokens.as(Tokens.ALICE).contentType("video/mp4").body(new byte[0])
                .when().put("/api/videos/{id}/source", id)
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", is("VALIDATION")).body("detail", equalTo("The upload is empty: send the video file as the request body"));
        video(id).body("data.video.status", is("AWAITING_UPLOAD"));
    }

    @Test
    void uploadsOverTheLimitAreRefusedAndLeaveNothingBehind() throws Exception {
        String id = createVideo("Too big");
        byte[] twoMegabytes = Videos.mp4Like(2 * 1024 * 1024);

        Tokens.as(Tokens.ALICE).contentType("video/mp4").body(twoMegabytes)
                .when().put("/api/videos/{id}/source", id)
                .then().statusCode(413).contentType("application/problem+json")
                .body("code", is("PAYLOAD_TOO_LARGE"))
                .body("detail", is("The upload is larger than the limit of 1048576 bytes"));
        // Without a Content-Length the size is only known while the body streams in.
        Tokens.as(Tokens.ALICE).contentType("video/mp4").body(new ByteArrayInputStream(twoMegabytes))
                .when().put("/api/videos/{id}/source", id)
                .then().statusCode(413).contentType("application/problem+json")
                .body("code", is("PAYLOAD_TOO_LARGE"));

        video(id).body("data.video.status", is("AWAITING_UPLOAD")).body("data.video.source", nullValue());
        Path sources = mediaRoot.resolve("sources").resolve(id);
        if (Files.exists(sources)) {
            try (Stream<Path> files = Files.list(sources)) {
                assertThat(files).isEmpty();
            }
        }
    }

    @Test
    void eventsOfASupersededJobAndLateProgressAreDropped() {
        String id = createVideo("Uploaded twice");
        String firstJob = upload(id, Videos.mp4Like(1_000));
        String currentJob = upload(id, Videos.mp4Like(2_000));
        Instant now = Instant.now();

        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, progress(id, currentJob, 50.0, now));
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, progress(id, currentJob, 30.0, now.minusSeconds(5)));
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.completed(mediaRoot, id, firstJob));
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, """
                {"eventId":"%s","type":"TranscodeFailed","schemaVersion":1,"videoId":"%s","jobId":"%s",
                 "occurredAt":"%s","code":"INTERNAL","message":"disk full","retryable":true}"""
                .formatted(UUID.randomUUID(), id, currentJob, now.plusSeconds(1)));

        // One partition, in order: once the last event shows, the ones before it were applied or dropped.
        await().atMost(TIMEOUT).untilAsserted(() -> video(id).body("data.video.status", is("FAILED")));
        video(id).body("data.video.progress.percent", is(50.0f))
                .body("data.video.renditions", hasSize(0))
                .body("data.video.failure.code", is("INTERNAL"));
    }

    @Test
    void mediaOutsideTheRenditionsIsNeverServed() throws Exception {
        String id = createVideo("Private source");
        upload(id, Videos.mp4Like(1_000));
        String sourcePath = (String) Database.row("SELECT source_path FROM video WHERE id = ?", UUID.fromString(id)).get("source_path");

        given().when().get("/media/../" + sourcePath).then().statusCode(404);
        given().urlEncodingEnabled(false).when().get("/media/%2e%2e/" + sourcePath).then().statusCode(404)
                .contentType("application/problem+json");
        Tokens.as(Tokens.ALICE).when().get("/media/" + id + "/missing.mp4").then().statusCode(404).body("code", is("NOT_FOUND"));
    }

    static String createVideo(String title) {
        return GraphQl.postAs(Tokens.ALICE, "mutation($input: CreateVideoInput!) { createVideo(input: $input) { id } }",
                        Map.of("input", Map.of("title", title, "category", "test")))
                .body("errors", nullValue())
                .extract().path("data.createVideo.id");
    }

    static String upload(String id, byte[] body) {
        return Tokens.as(Tokens.ALICE).contentType(ContentType.BINARY).body(body)
                .when().put("/api/videos/{id}/source", id)
                .then().statusCode(202).extract().path("jobId");
    }

    private static io.restassured.response.ValidatableResponse video(String id) {
        return GraphQl.postAs(Tokens.ALICE, VIDEO, Map.of("id", id)).body("errors", nullValue());
    }

    static String progress(String videoId, String jobId, double percent, Instant at) {
        return """
                {"eventId":"%s","type":"TranscodeProgress","schemaVersion":1,"videoId":"%s","jobId":"%s",
                 "occurredAt":"%s","stage":"ENCODING","percent":%s,"framesPerSecond":90.0,"speed":3.0,
                 "etaSeconds":5.0,"renditionsDone":0,"renditionsTotal":1}"""
                .formatted(UUID.randomUUID(), videoId, jobId, at, percent);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
