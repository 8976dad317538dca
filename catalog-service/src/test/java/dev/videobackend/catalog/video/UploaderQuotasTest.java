package dev.videobackend.catalog.video;

import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.LimitsTestProfile;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** The per-uploader quotas of catalog.quota.*, each refused with QUOTA_EXCEEDED on GraphQL and REST alike. */
@QuarkusTest
@TestProfile(LimitsTestProfile.class)
class UploaderQuotasTest extends KafkaTestBase {

    @Test
    void anUploaderHasAtMostSoManyVideosQueuedOrTranscodingAtOnce() {
        String uploader = freshUploader();
        String first = Videos.create(uploader, "One", Map.of());
        String second = Videos.create(uploader, "Two", Map.of());
        String third = Videos.create(uploader, "Three", Map.of());
        Videos.upload(uploader, first);
        Videos.upload(uploader, second);

        upload(uploader, third, 2_000).statusCode(429).contentType("application/problem+json")
                .body("code", is("QUOTA_EXCEEDED"))
                .body("detail", startsWith("At most " + LimitsTestProfile.MAX_ACTIVE_TRANSCODES + " videos of one uploader"))
                .body("detail", containsString("catalog.quota.max-active-transcodes"));
        assertThat(Database.row("SELECT status, source_path FROM video WHERE id = ?", UUID.fromString(third)))
                .containsEntry("status", "AWAITING_UPLOAD").containsEntry("source_path", null);
        // A new upload of a video that already counts replaces its job and adds none.
        upload(uploader, first, 2_000).statusCode(202);

        // Ending one frees a place; a retranscode is a job like any other.
        GraphQl.postAs(uploader, "mutation($id: ID!) { cancelTranscode(id: $id) { status } }", Map.of("id", first))
                .body("data.cancelTranscode.status", is("UPLOADED"));
        upload(uploader, third, 2_000).statusCode(202);
        GraphQl.postAs(uploader, "mutation($id: ID!) { retranscode(id: $id) { status } }", Map.of("id", first))
                .body("errors[0].extensions.code", is("QUOTA_EXCEEDED"));
        // Admins have no quota.
        GraphQl.postAs(Tokens.ROOT, "mutation($id: ID!) { retranscode(id: $id) { status } }", Map.of("id", first))
                .body("data.retranscode.status", is("QUEUED"));
    }

    @Test
    void sourceBytesPerDayAreCappedBeforeTheBodyIsRead() {
        String uploader = freshUploader();
        String first = Videos.create(uploader, "Big", Map.of());
        String second = Videos.create(uploader, "Bigger", Map.of());
        upload(uploader, first, 60_000).statusCode(202);

        upload(uploader, second, 50_000).statusCode(429).body("code", is("QUOTA_EXCEEDED"))
                .body("detail", containsString("catalog.quota.max-source-bytes-per-day"));
        Tokens.as(uploader).header("Tus-Resumable", "1.0.0").header("Upload-Length", "50000")
                .header("Upload-Metadata", "videoId " + Base64.getEncoder().encodeToString(second.getBytes(StandardCharsets.UTF_8)))
                .when().post("/api/uploads").then().statusCode(429).body("code", is("QUOTA_EXCEEDED"));
        assertThat(Database.row("SELECT source_bytes FROM uploader_usage WHERE owner_subject = ?", uploader))
                .containsEntry("source_bytes", 60_000L);
        upload(uploader, second, 30_000).statusCode(202);
    }

    @Test
    void sourceDurationPerDayCountsWhatTheTranscoderMeasured() {
        String uploader = freshUploader();
        Videos.ready(kafka, mediaRoot, uploader, "Ten seconds", Map.of());
        Videos.ready(kafka, mediaRoot, uploader, "Ten more", Map.of());
        assertThat(((Number) Database.row("SELECT source_seconds FROM uploader_usage WHERE owner_subject = ?", uploader)
                .get("source_seconds")).doubleValue()).isEqualTo(20.0);

        String third = Videos.create(uploader, "One too many", Map.of());
        upload(uploader, third, 2_000).statusCode(429).body("code", is("QUOTA_EXCEEDED"))
                .body("detail", containsString("catalog.quota.max-source-duration-per-day"));
    }

    private static io.restassured.response.ValidatableResponse upload(String user, String id, int size) {
        return Tokens.as(user).contentType("video/mp4").body(Videos.mp4Like(size))
                .when().put("/api/videos/{id}/source", id).then();
    }

    private static String freshUploader() {
        return "quota-" + UUID.randomUUID();
    }
}
