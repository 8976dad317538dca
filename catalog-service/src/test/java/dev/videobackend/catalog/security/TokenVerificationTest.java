package dev.videobackend.catalog.security;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.JwtKeysResource;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.videobackend.catalog.Tokens.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** What a bearer token must carry to be accepted, and what identifies its user: issuer and subject, not the name. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class TokenVerificationTest {

    private static final String CREATE = """
            mutation($input: CreateVideoInput!) { createVideo(input: $input) { id owner } }""";
    private static final String UPDATE = """
            mutation($id: ID!, $version: Int!) {
              updateVideo(id: $id, expectedVersion: $version, input: {title: "Taken over"}) { title } }""";

    @Test
    void aTokenMintedForAnotherAudienceIsRefused() {
        String otherApplication = Tokens.claims(ALICE).audience("another-application").sign();
        String noAudience = Jwt.subject(ALICE).groups(Set.of("uploader")).issuer(JwtKeysResource.ISSUER).sign();

        for (String token : new String[] {otherApplication, noAudience}) {
            Tokens.bearer(token).contentType("application/json")
                    .body(Map.of("query", CREATE, "variables", Map.of("input", Map.of("title", "Elsewhere", "category", "test"))))
                    .when().post("/graphql")
                    .then().statusCode(401).contentType("application/problem+json").body("code", is("UNAUTHENTICATED"));
        }
        assertThat(Database.rows("SELECT id FROM video WHERE title = 'Elsewhere'")).isEmpty();
    }

    @Test
    void aTokenWithoutSubjectIsRefused() {
        String nameOnly = Jwt.upn("nameless").groups(Set.of("uploader")).issuer(JwtKeysResource.ISSUER)
                .audience(Tokens.AUDIENCE).sign();
        Tokens.bearer(nameOnly).when().get("/media/" + UUID.randomUUID() + "/x/poster.jpg")
                .then().statusCode(401).body("code", is("UNAUTHENTICATED"));
    }

    @Test
    void videosBelongToTheTokensIssuerAndSubjectNotToTheNameItShows() {
        String id = Videos.create(ALICE, "Alice's own", Map.of("visibility", "PRIVATE"));
        assertThat(Database.row("SELECT owner, owner_issuer, owner_subject FROM video WHERE id = ?", UUID.fromString(id)))
                .containsEntry("owner", ALICE)
                .containsEntry("owner_issuer", JwtKeysResource.ISSUER)
                .containsEntry("owner_subject", ALICE);
        // Another user whose identity provider let them pick the user name "alice".
        String impostor = Tokens.claims("mallory-subject").upn(ALICE).sign();

        GraphQl.postWithToken(impostor, "query($id: ID!) { video(id: $id) { id } }", Map.of("id", id))
                .body("errors", nullValue()).body("data.video", nullValue());
        GraphQl.postWithToken(impostor, UPDATE, Map.of("id", id, "version", 0))
                .body("errors[0].extensions.code", is("NOT_FOUND"));
        GraphQl.postWithToken(impostor, "{ videos(first: 100) { edges { node { id } } } }", Map.of())
                .body("data.videos.edges.node.id.flatten()", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
        assertThat(Database.row("SELECT title FROM video WHERE id = ?", UUID.fromString(id))).containsEntry("title", "Alice's own");

        // The impostor's own video shows its chosen name, but belongs to its subject.
        String theirs = GraphQl.postWithToken(impostor, CREATE, Map.of("input", Map.of("title", "Impostor's", "category", "test")))
                .body("errors", nullValue()).body("data.createVideo.owner", is(ALICE))
                .extract().path("data.createVideo.id");
        assertThat(Database.row("SELECT owner_subject FROM video WHERE id = ?", UUID.fromString(theirs)))
                .containsEntry("owner_subject", "mallory-subject");
        // Not READY, so hidden from Alice though she has the impostor's name: absent to her, not hers to change.
        GraphQl.postAs(ALICE, UPDATE, Map.of("id", theirs, "version", 0)).body("errors[0].extensions.code", is("NOT_FOUND"));
    }

    @Test
    void aUserNameTooLongToStoreIsAValidationError() {
        String longName = Tokens.claims("long-name-user").upn("n".repeat(300)).sign();
        GraphQl.postWithToken(longName, CREATE, Map.of("input", Map.of("title", "Long name", "category", "test")))
                .body("data", nullValue())
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", is("The token's user name (upn, preferred_username or sub) must have 1 to 255 characters"));
    }

    @Test
    void anExpiredTokenIsAcceptedOnlyWithinTheConfiguredClockSkew() {
        int clockSkewSeconds = ConfigProvider.getConfig().getValue("mp.jwt.verify.clock.skew", Integer.class);
        assertThat(clockSkewSeconds).as("set explicitly").isPositive();
        long now = Instant.now().getEpochSecond();
        String justExpired = Tokens.claims(ALICE).issuedAt(now - 600).expiresAt(now - 1).sign();
        String longExpired = Tokens.claims(ALICE).issuedAt(now - 600).expiresAt(now - clockSkewSeconds - 5).sign();

        GraphQl.postWithToken(justExpired, "{ categories { name } }", Map.of()).body("errors", nullValue());
        Tokens.bearer(longExpired).contentType("application/json").body(Map.of("query", "{ categories { name } }"))
                .when().post("/graphql").then().statusCode(401).body("code", is("UNAUTHENTICATED"));
    }
}
