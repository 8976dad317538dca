package dev.videobackend.catalog.security;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Tokens.BOB;
import static dev.videobackend.catalog.Tokens.ROOT;
import static dev.videobackend.catalog.Tokens.VIEWER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Who may create and see videos, with real signed tokens. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class AccessControlTest {

    private static final String CREATE = """
            mutation($input: CreateVideoInput!) { createVideo(input: $input) { id owner visibility slug } }""";
    private static final String VIDEO = "query($id: ID!) { video(id: $id) { id owner } }";

    @Test
    void creatingAVideoNeedsATokenWithTheUploaderRole() {
        GraphQl.post(CREATE, Map.of("input", Map.of("title", "Anonymous", "category", "test")))
                .body("data", nullValue())
                .body("errors[0].extensions.code", is("UNAUTHENTICATED"))
                .body("errors[0].message", is("This operation needs a bearer token"));
        GraphQl.postAs(VIEWER, CREATE, Map.of("input", Map.of("title", "No role", "category", "test")))
                .body("errors[0].extensions.code", is("FORBIDDEN"))
                .body("errors[0].message", is("Creating videos needs the role uploader"));
        assertThat(Database.rows("SELECT id FROM video WHERE title IN ('Anonymous', 'No role')")).isEmpty();

        String id = GraphQl.postAs(ALICE, CREATE, Map.of("input", Map.of("title", "Mine", "category", "test")))
                .body("errors", nullValue())
                .body("data.createVideo.owner", is(ALICE))
                .body("data.createVideo.visibility", is("PUBLIC"))
                .extract().path("data.createVideo.id");
        assertThat(Database.row("SELECT owner FROM video WHERE id = ?", UUID.fromString(id))).containsEntry("owner", ALICE);
    }

    @Test
    void aVideoThatIsNotReadyIsSeenOnlyByItsOwnerAndAdmins() {
        String id = GraphQl.postAs(ALICE, CREATE, Map.of("input",
                        Map.of("title", "Not ready", "category", "test", "visibility", "PUBLIC")))
                .extract().path("data.createVideo.id");

        GraphQl.postAs(ALICE, VIDEO, Map.of("id", id)).body("data.video.owner", is(ALICE));
        GraphQl.postAs(ROOT, VIDEO, Map.of("id", id)).body("data.video.id", is(id));
        GraphQl.postAs(BOB, VIDEO, Map.of("id", id)).body("errors", nullValue()).body("data.video", nullValue());
        GraphQl.post(VIDEO, Map.of("id", id)).body("errors", nullValue()).body("data.video", nullValue());
    }

    @Test
    void aTokenThatDoesNotVerifyIsRefused() {
        given().auth().oauth2("not.a.jwt").contentType("application/json")
                .body(Map.of("query", "{ video(id: \"" + UUID.randomUUID() + "\") { id } }"))
                .when().post("/graphql")
                .then().statusCode(401).header("WWW-Authenticate", is("Bearer"))
                .contentType("application/problem+json")
                .body("code", is("UNAUTHENTICATED"));
    }
}
