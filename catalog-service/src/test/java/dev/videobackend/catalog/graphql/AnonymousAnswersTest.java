package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Tokens.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Anonymous reads answered from the catalog's cache: GET with HTTP caching headers, the changes that make an answer
 * stale (a cached answer never shows a video its caller may no longer see, and shows one that became visible, within
 * a second of the change), signed-in answers never kept, persisted queries, and GET's own rules.
 */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class AnonymousAnswersTest extends KafkaTestBase {

    /** The documented bound: a change shows in the catalog's own answers once its notification has arrived. */
    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final String LIST = """
            query($category: String!) { videos(filter: {category: $category}) { edges { node { id title } } } }""";
    private static final String VIDEO = "query($id: ID!) { video(id: $id) { id title } }";
    private static final String BY_SLUG = "query($slug: String!) { videoBySlug(slug: $slug) { id } }";

    @Test
    void anAnonymousGetIsAnsweredOnceThenFromTheCacheAndRevalidatedWithItsTag() {
        String category = uniqueCategory();
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Cached", Map.of("category", category));
        Map<String, Object> variables = Map.of("category", category);

        ExtractableResponse<Response> first = get(null, LIST, variables, null).statusCode(200)
                .header("Cache-Status", "catalog; fwd=miss; stored")
                .header("Cache-Control", "public, max-age=5")
                .header("Vary", "Authorization")
                .body("data.videos.edges.node.id", containsInAnyOrder(id))
                .extract();
        String tag = first.header("ETag");
        assertThat(tag).isNotBlank();

        ExtractableResponse<Response> second = get(null, LIST, variables, null).statusCode(200)
                .header("Cache-Status", "catalog; hit")
                .header("ETag", tag)
                .header("Cache-Control", "public, max-age=5")
                .extract();
        assertThat(second.asString()).isEqualTo(first.asString());
        assertThat(second.contentType()).isEqualTo(first.contentType());
        get(null, LIST, variables, null, "application/json").statusCode(200).header("Cache-Status", "catalog; hit")
                .contentType("application/json");

        get(null, LIST, variables, tag).statusCode(304).header("ETag", tag);
        // POST shares the answers; caches other than the catalog's do not keep POST answers.
        Tokens.as(null).contentType(ContentType.JSON).body(Map.of("query", LIST, "variables", variables))
                .when().post("/graphql")
                .then().statusCode(200).header("Cache-Status", "catalog; hit")
                .body("data.videos.edges.node.id", containsInAnyOrder(id));
    }

    @Test
    void aCachedAnswerNeverShowsAVideoItsCallerMayNoLongerSee() {
        String category = uniqueCategory();
        Map<String, Object> inCategory = Map.of("category", category);
        String turnsPrivate = Videos.ready(kafka, mediaRoot, ALICE, "Turns private", inCategory);
        String deleted = Videos.ready(kafka, mediaRoot, ALICE, "Deleted", inCategory);
        String retranscoded = Videos.ready(kafka, mediaRoot, BOB, "Transcoded again", inCategory);
        String deletedSlug = Videos.video(ALICE, deleted, "slug").extract().path("data.video.slug");
        Map<String, Object> list = Map.of("category", category);

        get(null, LIST, list, null).body("data.videos.edges.node.id",
                containsInAnyOrder(turnsPrivate, deleted, retranscoded));
        get(null, VIDEO, Map.of("id", turnsPrivate), null).body("data.video.id", is(turnsPrivate));
        get(null, BY_SLUG, Map.of("slug", deletedSlug), null).body("data.videoBySlug.id", is(deleted));
        get(null, LIST, list, null).header("Cache-Status", "catalog; hit");

        Object version = Videos.video(ALICE, turnsPrivate, "version").extract().path("data.video.version");
        GraphQl.postAs(ALICE, """
                mutation($id: ID!, $version: Int!) {
                  updateVideo(id: $id, expectedVersion: $version, input: {visibility: PRIVATE}) { id } }""",
                Map.of("id", turnsPrivate, "version", version)).body("errors", nullValue());
        await().atMost(BOUND).untilAsserted(() -> {
            get(null, VIDEO, Map.of("id", turnsPrivate), null).body("data.video", nullValue());
            get(null, LIST, list, null).body("data.videos.edges.node.id", containsInAnyOrder(deleted, retranscoded));
        });

        GraphQl.postAs(ALICE, "mutation($id: ID!) { deleteVideo(id: $id) }", Map.of("id", deleted))
                .body("errors", nullValue());
        await().atMost(BOUND).untilAsserted(() -> {
            get(null, BY_SLUG, Map.of("slug", deletedSlug), null).body("data.videoBySlug", nullValue());
            get(null, LIST, list, null).body("data.videos.edges.node.id", containsInAnyOrder(retranscoded));
        });

        // A new job makes the video QUEUED: not READY, so not for anonymous eyes until it completes again.
        GraphQl.postAs(BOB, "mutation($id: ID!) { retranscode(id: $id) { status } }", Map.of("id", retranscoded))
                .body("data.retranscode.status", is("QUEUED"));
        await().atMost(BOUND).untilAsserted(() -> get(null, LIST, list, null)
                .body("data.videos.edges", is(List.of())));
    }

    @Test
    void aVideoThatBecomesVisibleShowsInCachedListsAndLookups() {
        String category = uniqueCategory();
        String shown = Videos.ready(kafka, mediaRoot, ALICE, "Shown first", Map.of("category", category));
        String later = Videos.create(ALICE, "Published later", Map.of("category", category));
        String laterSlug = Videos.video(ALICE, later, "slug").extract().path("data.video.slug");
        Map<String, Object> list = Map.of("category", category);

        get(null, LIST, list, null).body("data.videos.edges.node.id", containsInAnyOrder(shown));
        get(null, VIDEO, Map.of("id", later), null).body("data.video", nullValue());
        get(null, BY_SLUG, Map.of("slug", laterSlug), null).body("data.videoBySlug", nullValue());
        get(null, BY_SLUG, Map.of("slug", laterSlug), null).header("Cache-Status", "catalog; hit");

        String job = Videos.upload(ALICE, later);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, later, Videos.completed(mediaRoot, later, job));
        Videos.awaitStatus(ALICE, later, "READY");
        await().atMost(BOUND).untilAsserted(() -> {
            get(null, LIST, list, null).body("data.videos.edges.node.id", containsInAnyOrder(shown, later));
            get(null, VIDEO, Map.of("id", later), null).body("data.video.id", is(later));
            get(null, BY_SLUG, Map.of("slug", laterSlug), null).body("data.videoBySlug.id", is(later));
        });
    }

    @Test
    void cachedLookupsBySlugFollowTheListingRule() {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Public, then unlisted", Map.of());
        String slug = Videos.video(ALICE, id, "slug").extract().path("data.video.slug");
        Map<String, Object> bySlug = Map.of("slug", slug);
        await().untilAsserted(() -> get(null, BY_SLUG, bySlug, null).header("Cache-Status", "catalog; hit")
                .body("data.videoBySlug.id", is(id)));

        // UNLISTED opens by its id only: the cached answer that found it by slug goes.
        setVisibility(id, "UNLISTED");
        await().atMost(BOUND).untilAsserted(() -> {
            get(null, BY_SLUG, bySlug, null).body("data.videoBySlug", nullValue());
            get(null, VIDEO, Map.of("id", id), null).body("data.video.id", is(id));
        });
        await().untilAsserted(() -> get(null, BY_SLUG, bySlug, null).header("Cache-Status", "catalog; hit")
                .body("data.videoBySlug", nullValue()));

        // Listed again: the cached answer that found nothing goes too.
        setVisibility(id, "PUBLIC");
        await().atMost(BOUND).untilAsserted(() -> get(null, BY_SLUG, bySlug, null)
                .body("data.videoBySlug.id", is(id)));
    }

    @Test
    void signedInAnswersAreNeitherKeptNorShared() {
        String category = uniqueCategory();
        String visible = Videos.ready(kafka, mediaRoot, ALICE, "Everyone's", Map.of("category", category));
        String own = Videos.ready(kafka, mediaRoot, ALICE, "Alice's own",
                Map.of("category", category, "visibility", "PRIVATE"));
        Map<String, Object> list = Map.of("category", category);

        ExtractableResponse<Response> signedIn = get(ALICE, LIST, list, null).statusCode(200)
                .header("Cache-Control", "private, no-store")
                .header("Cache-Status", nullValue())
                .body("data.videos.edges.node.id", containsInAnyOrder(visible, own))
                .extract();
        get(null, LIST, list, null).header("Cache-Status", "catalog; fwd=miss; stored")
                .body("data.videos.edges.node.id", containsInAnyOrder(visible));
        get(ALICE, LIST, list, null).header("Cache-Status", nullValue())
                .body("data.videos.edges.node.id", containsInAnyOrder(visible, own));
        assertThat(signedIn.header("ETag")).isNull();
    }

    @Test
    void persistedQueriesAreAnsweredByTheirHashOnceKnown() {
        String category = uniqueCategory();
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Persisted", Map.of("category", category));
        String document = LIST + " # " + UUID.randomUUID();
        String hash = PersistedQueries.sha256(document);
        Map<String, Object> extensions = Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));
        Map<String, Object> variables = Map.of("category", category);

        persisted(extensions, variables).statusCode(200)
                .body("errors[0].message", is("PersistedQueryNotFound"))
                .body("errors[0].extensions.code", is("PERSISTED_QUERY_NOT_FOUND"));
        Tokens.as(null).contentType(ContentType.JSON)
                .body(Map.of("query", document, "variables", variables, "extensions", extensions))
                .when().post("/graphql")
                .then().statusCode(200).body("data.videos.edges.node.id", containsInAnyOrder(id));
        persisted(extensions, variables).statusCode(200)
                .header("Cache-Control", "public, max-age=5")
                .body("data.videos.edges.node.id", containsInAnyOrder(id));
        Tokens.as(ALICE).contentType(ContentType.JSON).body(Map.of("variables", variables, "extensions", extensions))
                .when().post("/graphql")
                .then().statusCode(200).body("data.videos.edges.node.id", containsInAnyOrder(id));

        Map<String, Object> wrong = Map.of("persistedQuery", Map.of("version", 1, "sha256Hash",
                PersistedQueries.sha256("{ categories { name } }")));
        Tokens.as(null).contentType(ContentType.JSON)
                .body(Map.of("query", document, "variables", variables, "extensions", wrong))
                .when().post("/graphql")
                .then().statusCode(400).body("errors[0].extensions.code", is("VALIDATION"));
    }

    @Test
    void getHandsTheQueryVariablesAndOperationOverIntact() {
        String odd = "a+b %41 é";
        String twoOperations = "query Odd { video(id: \"" + odd + "\") { id } } query Names { categories { name } }";

        Tokens.as(null).queryParam("query", twoOperations).queryParam("operationName", "Odd")
                .when().get("/graphql")
                .then().statusCode(200).body("errors[0].message", is("Not a video id (a UUID): " + odd));
        Tokens.as(null).queryParam("query", twoOperations).queryParam("operationName", "Names")
                .when().get("/graphql")
                .then().statusCode(200).body("errors", nullValue()).body("data.categories", notNullValue());
        get(null, "query($id: ID!) { video(id: $id) { id } }", Map.of("id", odd), null)
                .body("errors[0].message", is("Not a video id (a UUID): " + odd));
        Tokens.as(null).queryParam("query", twoOperations)
                .when().get("/graphql")
                .then().statusCode(400).body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", is("The document has several operations: name the one to run with "
                        + "operationName"));
    }

    @Test
    void aMutationSentWithGetIsRefused() {
        String title = "Created by GET " + UUID.randomUUID();
        Tokens.as(ALICE).queryParam("query", "mutation { createVideo(input: {title: \"" + title
                        + "\", category: \"test\"}) { id } }")
                .when().get("/graphql")
                .then().statusCode(405).header("Allow", "POST")
                .contentType("application/problem+json").body("code", is("METHOD_NOT_ALLOWED"));
        assertThat(Database.rows("SELECT id FROM video WHERE title = ?", title)).isEmpty();
    }

    private static void setVisibility(String id, String visibility) {
        Object version = Videos.video(ALICE, id, "version").extract().path("data.video.version");
        GraphQl.postAs(ALICE, """
                mutation($id: ID!, $version: Int!, $visibility: Visibility!) {
                  updateVideo(id: $id, expectedVersion: $version, input: {visibility: $visibility}) { id } }""",
                Map.of("id", id, "version", version, "visibility", visibility)).body("errors", nullValue());
    }

    private static ValidatableResponse get(String user, String query, Map<String, Object> variables,
            String ifNoneMatch) {
        return get(user, query, variables, ifNoneMatch, "*/*");
    }

    private static ValidatableResponse get(String user, String query, Map<String, Object> variables,
            String ifNoneMatch, String accept) {
        var request = Tokens.as(user).accept(accept).queryParam("query", query)
                .queryParam("variables", new JsonObject(variables).encode());
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return request.when().get("/graphql").then();
    }

    private static ValidatableResponse persisted(Map<String, Object> extensions,
            Map<String, Object> variables) {
        return Tokens.as(null).queryParam("extensions", new JsonObject(extensions).encode())
                .queryParam("variables", new JsonObject(variables).encode())
                .when().get("/graphql").then();
    }

    private static String uniqueCategory() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
