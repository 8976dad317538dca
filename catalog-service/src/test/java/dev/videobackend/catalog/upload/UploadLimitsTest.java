package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.LimitsTestProfile;
import dev.videobackend.catalog.RawHttp;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * Slow and stalled senders, played on a raw socket: a body that stops sending is given up with 408 after
 * catalog.upload.idle-timeout, and one user sends only so many bodies at once, so that no one holds every worker.
 */
@QuarkusTest
@TestProfile(LimitsTestProfile.class)
class UploadLimitsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    @ConfigProperty(name = "catalog.media.root")
    Path mediaRoot;

    @ConfigProperty(name = "catalog.upload.idle-timeout")
    Duration idleTimeout;

    @Test
    void aWholeUploadWhoseBodyStopsIsGivenUpWith408AndLeavesNothing() throws IOException {
        String uploader = "idle-" + UUID.randomUUID();
        String id = Videos.create(uploader, "Stalled", Map.of());
        byte[] source = Videos.mp4Like(50_000);
        Instant started = Instant.now();

        try (RawHttp stalled = new RawHttp(base.getPort(), "PUT", "/api/videos/" + id + "/source",
                Map.of("Authorization", "Bearer " + Tokens.of(uploader), "Content-Type", "video/mp4"), source, 5_000)) {
            RawHttp.Answer answer = stalled.read();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.headers()).containsEntry("content-type", "application/problem+json")
                    .containsEntry("connection", "close");
            assertThat(answer.body()).contains("\"code\":\"REQUEST_TIMEOUT\"", "nothing of it was kept");
        }
        assertThat(Duration.between(started, Instant.now())).isGreaterThanOrEqualTo(idleTimeout);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(filesOf(id)).isEmpty());
        assertThat(Database.row("SELECT status FROM video WHERE id = ?", UUID.fromString(id)))
                .containsEntry("status", "AWAITING_UPLOAD");
    }

    @Test
    void aResumableChunkThatStopsKeepsWhatArrivedAndSaysWhereToResume() throws IOException {
        String uploader = "idle-" + UUID.randomUUID();
        String id = Videos.create(uploader, "Stalled chunk", Map.of());
        byte[] source = Videos.mp4Like(50_000);
        String location = Tokens.as(uploader).header("Tus-Resumable", "1.0.0").header("Upload-Length", source.length)
                .header("Upload-Metadata", "videoId " + Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.UTF_8)))
                .when().post("/api/uploads").then().statusCode(201).extract().header("Location");

        try (RawHttp stalled = new RawHttp(base.getPort(), "PATCH", location, Map.of(
                "Authorization", "Bearer " + Tokens.of(uploader), "Tus-Resumable", "1.0.0", "Upload-Offset", "0",
                "Content-Type", "application/offset+octet-stream"), source, 20_000)) {
            RawHttp.Answer answer = stalled.read();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.headers()).containsEntry("upload-offset", "20000");
            assertThat(answer.body()).contains("REQUEST_TIMEOUT", "continues from offset 20000");
        }
        Tokens.as(uploader).header("Tus-Resumable", "1.0.0").when().head(location).then()
                .statusCode(200).header("Upload-Offset", "20000");
    }

    @Test
    void oneUserSendsOneBodyAtATimeHere() throws IOException {
        String uploader = "busy-" + UUID.randomUUID();
        String first = Videos.create(uploader, "First", Map.of());
        String second = Videos.create(uploader, "Second", Map.of());
        byte[] source = Videos.mp4Like(40_000);

        try (RawHttp slow = new RawHttp(base.getPort(), "PUT", "/api/videos/" + first + "/source",
                Map.of("Authorization", "Bearer " + Tokens.of(uploader), "Content-Type", "video/mp4"), source, 5_000)) {
            // The first body is being written: its hidden partial file is there.
            await().atMost(TIMEOUT).until(() -> !filesOf(first).isEmpty());

            Tokens.as(uploader).contentType("video/mp4").body(Videos.mp4Like(3_000))
                    .when().put("/api/videos/{id}/source", second)
                    .then().statusCode(429).contentType("application/problem+json")
                    .body("code", is("QUOTA_EXCEEDED"))
                    .body("detail", is("At most 1 uploads of one user may be sent at once "
                            + "(catalog.upload.max-concurrent-per-uploader); send the next when one ends"));
            // Someone else is not held up.
            String others = Videos.create(Tokens.BOB, "Not held up", Map.of());
            Videos.upload(Tokens.BOB, others);

            slow.finish(source, 5_000);
            assertThat(slow.read().status()).isEqualTo(202);
        }
        Tokens.as(uploader).contentType("video/mp4").body(Videos.mp4Like(3_000))
                .when().put("/api/videos/{id}/source", second).then().statusCode(202);
    }

    private java.util.List<Path> filesOf(String videoId) throws IOException {
        Path directory = mediaRoot.resolve("sources").resolve(videoId);
        if (!Files.exists(directory)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
