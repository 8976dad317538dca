package dev.videobackend.catalog.security;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Tokens.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * docs/api.md promises that a video the caller may not see is absent. Every path is asked about a video that does
 * not exist and about one that exists but is hidden from the caller, and must answer the same, but for the id.
 */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class ExistenceOracleTest extends KafkaTestBase {

    private static final List<String> MUTATIONS = List.of(
            "mutation($id: ID!) { updateVideo(id: $id, expectedVersion: 0, input: {title: \"x\"}) { id } }",
            "mutation($id: ID!) { deleteVideo(id: $id) }",
            "mutation($id: ID!) { retranscode(id: $id) { id } }",
            "mutation($id: ID!) { cancelTranscode(id: $id) { id } }");

    @Test
    void mutationsAnswerAboutAHiddenVideoExactlyAsAboutAMissingOne() {
        String hidden = Videos.create(ALICE, "Hidden from others", Map.of("visibility", "PRIVATE"));
        String missing = UUID.randomUUID().toString();

        for (String mutation : MUTATIONS) {
            for (String caller : new String[] {null, BOB, Tokens.VIEWER}) {
                Object aboutHidden = errors(caller, mutation, hidden);
                Object aboutMissing = errors(caller, mutation, missing);
                assertThat(withoutId(aboutHidden, hidden)).as(mutation + " as " + caller)
                        .isEqualTo(withoutId(aboutMissing, missing));
            }
            // An anonymous caller is refused whatever the id: the operation itself needs a token.
            assertThat(errors(null, mutation, missing).toString()).contains("UNAUTHENTICATED");
            assertThat(errors(BOB, mutation, missing).toString()).contains("NOT_FOUND", "No video " + missing);
        }
        assertThat(Database.row("SELECT title FROM video WHERE id = ?", UUID.fromString(hidden)))
                .containsEntry("title", "Hidden from others");
    }

    @Test
    void slugsNeitherCountNorConfirmOthersHiddenVideos() {
        String title = "Quarterly plan " + UUID.randomUUID().toString().substring(0, 8);
        String first = Videos.create(ALICE, title, Map.of("visibility", "PRIVATE"));
        Videos.create(ALICE, title, Map.of("visibility", "PRIVATE"));
        String hiddenSlug = Videos.video(ALICE, first, "slug").extract().path("data.video.slug");

        // A derived slug carries a random part, and never a count of the videos that share its title.
        String bobs = Videos.create(BOB, title, Map.of());
        String bobsSlug = Videos.video(BOB, bobs, "slug").extract().path("data.video.slug");
        assertThat(bobsSlug).matches("quarterly-plan-[0-9a-f]{8}-[a-z0-9]{8}").doesNotEndWith("-3");

        // Asking for a hidden video's slug is no conflict: a chosen slug gets a random part too.
        String create = "mutation($input: CreateVideoInput!) { createVideo(input: $input) { slug } }";
        String chosen = GraphQl.postAs(BOB, create, Map.of("input", Map.of("title", "Mine", "category", "test",
                        "slug", hiddenSlug)))
                .body("errors", nullValue()).extract().path("data.createVideo.slug");
        assertThat(chosen).startsWith(hiddenSlug + "-").isNotEqualTo(hiddenSlug);
    }

    @Test
    void anUnlistedVideoOpensByItsIdButNotByItsGuessableSlug() {
        String unlisted = Videos.ready(kafka, mediaRoot, ALICE, "Family trip", Map.of("visibility", "UNLISTED"));
        String slug = Videos.video(ALICE, unlisted, "slug").extract().path("data.video.slug");
        String bySlug = "query($slug: String!) { videoBySlug(slug: $slug) { id } }";

        Videos.video(null, unlisted, "id").body("data.video.id", is(unlisted));
        GraphQl.post(bySlug, Map.of("slug", slug)).body("errors", nullValue()).body("data.videoBySlug", nullValue());
        GraphQl.postAs(BOB, bySlug, Map.of("slug", slug)).body("data.videoBySlug", nullValue());
        GraphQl.postAs(ALICE, bySlug, Map.of("slug", slug)).body("data.videoBySlug.id", is(unlisted));
    }

    @Test
    void uploadsAnswerAboutAHiddenVideoExactlyAsAboutAMissingOne() {
        String hidden = Videos.create(ALICE, "Hidden upload target", Map.of("visibility", "PRIVATE"));
        String missing = UUID.randomUUID().toString();

        for (String caller : new String[] {null, BOB}) {
            assertThat(problem(put(caller, hidden), hidden)).as("PUT as " + caller).isEqualTo(problem(put(caller, missing), missing));
            assertThat(problem(createUpload(caller, hidden), hidden)).as("tus POST as " + caller)
                    .isEqualTo(problem(createUpload(caller, missing), missing));
        }
        // 401 only because the endpoint needs a token, whatever the id; 404 for the signed-in stranger.
        assertThat(put(null, missing).statusCode()).isEqualTo(401);
        assertThat(put(BOB, hidden).statusCode()).isEqualTo(404);
        assertThat(createUpload(BOB, hidden).statusCode()).isEqualTo(404);

        // Someone else's upload in progress is as absent as one that never existed.
        String location = createUpload(ALICE, hidden).header("Location");
        String other = "/api/uploads/" + UUID.randomUUID();
        for (String method : new String[] {"HEAD", "PATCH", "DELETE"}) {
            ExtractableResponse<Response> theirs = tus(BOB, method, location);
            ExtractableResponse<Response> nobodys = tus(BOB, method, other);
            assertThat(theirs.statusCode()).as(method).isEqualTo(404).isEqualTo(nobodys.statusCode());
            if (!method.equals("HEAD")) {
                assertThat(problem(theirs, uploadId(location))).as(method).isEqualTo(problem(nobodys, uploadId(other)));
            }
        }
        assertThat(tus(ALICE, "HEAD", location).statusCode()).isEqualTo(200);
    }

    @Test
    void mediaOfAHiddenVideoIsAsAbsentAsMediaOfAMissingOne() {
        String hidden = Videos.ready(kafka, mediaRoot, ALICE, "Hidden media", Map.of("visibility", "PRIVATE"));
        String hls = Videos.video(ALICE, hidden, "media { hls }").extract().path("data.video.media.hls");
        String missingId = UUID.randomUUID().toString();
        String missing = hls.replace(hidden, missingId);

        for (String caller : new String[] {null, BOB}) {
            ExtractableResponse<Response> aboutHidden = Tokens.as(caller).when().get(hls).then().extract();
            ExtractableResponse<Response> aboutMissing = Tokens.as(caller).when().get(missing).then().extract();
            assertThat(aboutHidden.statusCode()).as("as " + caller).isEqualTo(404);
            assertThat(aboutHidden.header("WWW-Authenticate")).isNull();
            assertThat(problem(aboutHidden, hidden)).isEqualTo(problem(aboutMissing, missingId));
        }
        Tokens.as(ALICE).when().get(hls).then().statusCode(200);
    }

    private static Object errors(String caller, String mutation, String id) {
        return GraphQl.postAs(caller, mutation, Map.of("id", id)).body("data", nullValue()).extract().path("errors");
    }

    private static String withoutId(Object errors, String id) {
        return errors.toString().replace(id, "{id}");
    }

    private static Map<String, Object> problem(ExtractableResponse<Response> response, String id) {
        Map<String, Object> body = new HashMap<>(response.jsonPath().getMap("$"));
        body.replaceAll((key, value) -> value instanceof String text ? text.replace(id, "{id}") : value);
        body.put("httpStatus", response.statusCode());
        body.put("contentType", response.contentType());
        return body;
    }

    private static ExtractableResponse<Response> put(String caller, String videoId) {
        return Tokens.as(caller).contentType("video/mp4").body(Videos.mp4Like(2_000))
                .when().put("/api/videos/{id}/source", videoId).then().extract();
    }

    private static ExtractableResponse<Response> createUpload(String caller, String videoId) {
        return Tokens.as(caller).header("Tus-Resumable", "1.0.0").header("Upload-Length", "1000")
                .header("Upload-Metadata", "videoId " + Base64.getEncoder()
                        .encodeToString(videoId.getBytes(StandardCharsets.UTF_8)))
                .when().post("/api/uploads").then().extract();
    }

    private static ExtractableResponse<Response> tus(String caller, String method, String location) {
        var request = Tokens.as(caller).header("Tus-Resumable", "1.0.0");
        return switch (method) {
            case "HEAD" -> request.when().head(location).then().extract();
            case "PATCH" -> request.header("Upload-Offset", "0").contentType("application/offset+octet-stream")
                    .body(new byte[10]).when().patch(location).then().extract();
            default -> request.when().delete(location).then().extract();
        };
    }

    private static String uploadId(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
