package dev.videobackend.catalog.video;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Tokens.BOB;
import static dev.videobackend.catalog.Tokens.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Lists, search, slugs and categories, with the visibility rules, over GraphQL. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class VideoQueriesTest extends KafkaTestBase {

    private static final String LIST = """
            query($filter: VideoFilter, $first: Int, $after: String) {
              videos(filter: $filter, first: $first, after: $after) {
                totalCount
                edges { cursor node { id title } }
                pageInfo { hasNextPage endCursor }
              } }""";

    @Test
    void pagesThroughVideosNewestFirstWithOpaqueCursors() {
        String category = uniqueCategory();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(Videos.ready(kafka, mediaRoot, ALICE, "Page " + i, Map.of("category", category)));
        }
        Map<String, Object> filter = Map.of("category", category);

        var first = GraphQl.post(LIST, Map.of("filter", filter, "first", 2))
                .body("errors", nullValue())
                .body("data.videos.totalCount", is(5))
                .body("data.videos.edges.node.id", contains(ids.get(4), ids.get(3)))
                .body("data.videos.pageInfo.hasNextPage", is(true));
        String cursor = first.extract().path("data.videos.pageInfo.endCursor");
        var second = GraphQl.post(LIST, Map.of("filter", filter, "first", 2, "after", cursor))
                .body("data.videos.edges.node.id", contains(ids.get(2), ids.get(1)))
                .body("data.videos.pageInfo.hasNextPage", is(true));
        cursor = second.extract().path("data.videos.pageInfo.endCursor");
        GraphQl.post(LIST, Map.of("filter", filter, "first", 2, "after", cursor))
                .body("data.videos.edges.node.id", contains(ids.get(0)))
                .body("data.videos.pageInfo.hasNextPage", is(false))
                .body("data.videos.totalCount", is(5));

        GraphQl.post(LIST, Map.of("first", 101)).body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", is("first must be between 1 and 100"));
        GraphQl.post(LIST, Map.of("after", "garbage")).body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", is("after is not a cursor this API returned"));
    }

    @Test
    void listsShowOthersOnlyPublicReadyVideosButOwnersAndAdminsEverything() {
        String category = uniqueCategory();
        String publicReady = Videos.ready(kafka, mediaRoot, ALICE, "Public ready", Map.of("category", category));
        String unlistedReady = Videos.ready(kafka, mediaRoot, ALICE, "Unlisted ready",
                Map.of("category", category, "visibility", "UNLISTED"));
        String privateReady = Videos.ready(kafka, mediaRoot, ALICE, "Private ready",
                Map.of("category", category, "visibility", "PRIVATE"));
        String notReady = Videos.create(ALICE, "Awaiting upload", Map.of("category", category));
        Map<String, Object> variables = Map.of("filter", Map.of("category", category));

        GraphQl.post(LIST, variables).body("data.videos.edges.node.id", contains(publicReady))
                .body("data.videos.totalCount", is(1));
        GraphQl.postAs(BOB, LIST, variables).body("data.videos.edges.node.id", contains(publicReady));
        GraphQl.postAs(ALICE, LIST, variables).body("data.videos.edges.node.id",
                contains(notReady, privateReady, unlistedReady, publicReady));
        GraphQl.postAs(ROOT, LIST, variables).body("data.videos.totalCount", is(4));

        // By id: an UNLISTED READY video is there for anyone with the link (its slug does not open it, see
        // ExistenceOracleTest); a PRIVATE one is not.
        Videos.video(null, unlistedReady, "id").body("data.video.id", is(unlistedReady));
        Videos.video(BOB, privateReady, "id").body("data.video", nullValue());
        Videos.video(ROOT, privateReady, "id").body("data.video.id", is(privateReady));
        String publicSlug = Videos.video(ALICE, publicReady, "slug").extract().path("data.video.slug");
        GraphQl.post("query($slug: String!) { videoBySlug(slug: $slug) { id } }", Map.of("slug", publicSlug))
                .body("data.videoBySlug.id", is(publicReady));
        String privateSlug = Videos.video(ALICE, privateReady, "slug").extract().path("data.video.slug");
        GraphQl.post("query($slug: String!) { videoBySlug(slug: $slug) { id } }", Map.of("slug", privateSlug))
                .body("errors", nullValue()).body("data.videoBySlug", nullValue());
    }

    @Test
    void filtersByStatusOwnerAndFullTextSearch() {
        String category = uniqueCategory();
        String harbour = Videos.ready(kafka, mediaRoot, ALICE, "Sunsets over the harbour",
                Map.of("category", category, "description", "Boats coming home at dusk"));
        String mountains = Videos.ready(kafka, mediaRoot, BOB, "Mountain trail",
                Map.of("category", category, "description", "A long walk, no boats"));
        String pending = Videos.create(BOB, "Harbour at night", Map.of("category", category));

        GraphQl.post(LIST, Map.of("filter", Map.of("category", category, "search", "sunset")))
                .body("data.videos.edges.node.id", contains(harbour));
        GraphQl.post(LIST, Map.of("filter", Map.of("category", category, "search", "boats")))
                .body("data.videos.edges.node.id", containsInAnyOrder(harbour, mountains));
        GraphQl.post(LIST, Map.of("filter", Map.of("category", category, "search", "boats -harbour")))
                .body("data.videos.edges.node.id", contains(mountains));
        GraphQl.post(LIST, Map.of("filter", Map.of("category", category, "search", "\"home at dusk\"")))
                .body("data.videos.edges.node.id", contains(harbour));
        GraphQl.post(LIST, Map.of("filter", Map.of("category", category, "owner", BOB)))
                .body("data.videos.edges.node.id", contains(mountains));
        GraphQl.postAs(BOB, LIST, Map.of("filter", Map.of("category", category, "status", "AWAITING_UPLOAD")))
                .body("data.videos.edges.node.id", contains(pending));
        // "Mine" is by the token's identity: every video of the caller, whatever its status or shown name.
        GraphQl.postAs(BOB, LIST, Map.of("filter", Map.of("category", category, "mine", true)))
                .body("errors", nullValue()).body("data.videos.edges.node.id", contains(pending, mountains));
        GraphQl.post(LIST, Map.of("filter", Map.of("category", category, "mine", true)))
                .body("errors[0].extensions.code", is("UNAUTHENTICATED"));
        GraphQl.post(LIST, Map.of("filter", Map.of("category", category, "search", "harbour")))
                .body("data.videos.edges.node.id", contains(harbour));
        GraphQl.post(LIST, Map.of("filter", Map.of("category", category, "search", "volcano")))
                .body("data.videos.edges", empty()).body("data.videos.totalCount", is(0));
    }

    @Test
    void listsReadRenditionsWhenTheyAreSelectedHoweverTheQuerySelectsThem() {
        String category = uniqueCategory();
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Renditions in a list", Map.of("category", category));
        Map<String, Object> plain = Map.of("filter", Map.of("category", category));
        Map<String, Object> search = Map.of("filter", Map.of("category", category, "search", "renditions"));
        String direct = "query($filter: VideoFilter) { videos(filter: $filter) { edges { node { id"
                + " renditions { height url } } } } }";
        String aliasedInFragment = "query($filter: VideoFilter) { videos(filter: $filter) { edges { node { id"
                + " ...Ladder } } } } fragment Ladder on Video { ladder: renditions { height } }";
        for (Map<String, Object> variables : List.of(plain, search)) {
            GraphQl.post(direct, variables).body("errors", nullValue())
                    .body("data.videos.edges.node.id", contains(id))
                    .body("data.videos.edges[0].node.renditions.height", contains(480, 360))
                    .body("data.videos.edges[0].node.renditions[1].url", endsWith("/360p/playlist.m3u8"));
            GraphQl.post(aliasedInFragment, variables).body("errors", nullValue())
                    .body("data.videos.edges[0].node.ladder.height", contains(480, 360));
            // Not selected, not read: the page comes without them and still right.
            GraphQl.post(LIST, variables).body("errors", nullValue()).body("data.videos.edges.node.id", contains(id));
        }
    }

    @Test
    void searchesOrderByRelevanceThenNewestAndPageAcrossTies() {
        String category = uniqueCategory();
        String strong = Videos.create(ALICE, "Kayak kayak kayak", Map.of("category", category, "description", "kayak"));
        List<String> ties = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ties.add(Videos.create(ALICE, "Kayak on the lake", Map.of("category", category)));
        }
        String weak = Videos.create(ALICE, "Lake day", Map.of("category", category, "description", "By kayak"));
        String unrelated = Videos.create(ALICE, "Mountain trail", Map.of("category", category));
        Map<String, Object> search = Map.of("category", category, "search", "kayaks");

        // The best match first; equal ranks newest first; the page boundary falls between two equal ranks.
        var first = GraphQl.postAs(ALICE, LIST, Map.of("filter", search, "first", 2))
                .body("errors", nullValue())
                .body("data.videos.totalCount", is(5))
                .body("data.videos.edges.node.id", contains(strong, ties.get(2)))
                .body("data.videos.pageInfo.hasNextPage", is(true));
        String cursor = first.extract().path("data.videos.pageInfo.endCursor");
        var second = GraphQl.postAs(ALICE, LIST, Map.of("filter", search, "first", 2, "after", cursor))
                .body("errors", nullValue())
                .body("data.videos.edges.node.id", contains(ties.get(1), ties.get(0)))
                .body("data.videos.pageInfo.hasNextPage", is(true));
        cursor = second.extract().path("data.videos.pageInfo.endCursor");
        GraphQl.postAs(ALICE, LIST, Map.of("filter", search, "first", 2, "after", cursor))
                .body("data.videos.edges.node.id", contains(weak))
                .body("data.videos.pageInfo.hasNextPage", is(false));

        // Without a term: newest first, as always; a search's cursor does not fit it.
        GraphQl.postAs(ALICE, LIST, Map.of("filter", Map.of("category", category)))
                .body("data.videos.edges.node.id", contains(unrelated, weak, ties.get(2), ties.get(1), ties.get(0), strong));
        GraphQl.postAs(ALICE, LIST, Map.of("filter", Map.of("category", category), "after", cursor))
                .body("errors[0].extensions.code", is("VALIDATION"));
    }

    @Test
    void categoriesCountOnlyWhatTheCallerMayList() {
        String shared = uniqueCategory();
        String hidden = uniqueCategory();
        Videos.ready(kafka, mediaRoot, ALICE, "One", Map.of("category", shared));
        Videos.ready(kafka, mediaRoot, ALICE, "Two", Map.of("category", shared));
        Videos.ready(kafka, mediaRoot, ALICE, "Three", Map.of("category", hidden, "visibility", "PRIVATE"));

        Map<String, Integer> anonymous = categories(null);
        assertThat(anonymous).containsEntry(shared, 2).doesNotContainKey(hidden);
        assertThat(categories(ALICE)).containsEntry(shared, 2).containsEntry(hidden, 1);
        assertThat(categories(ROOT)).containsEntry(hidden, 1);
    }

    @Test
    void slugsAreDerivedFromTitlesUniqueAndValidated() throws Exception {
        String title = "Crème Brûlée à la Minute " + UUID.randomUUID().toString().substring(0, 8);
        String base = Slugs.fromTitle(title);
        assertThat(base).matches("creme-brulee-a-la-minute-[0-9a-f]{8}");

        // Eight creates of the same title at once: eight slugs of the title's words, each with its own random part.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<String>> creates = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                creates.add(CompletableFuture.supplyAsync(() -> Videos.create(ALICE, title, Map.of()), pool));
            }
            for (CompletableFuture<String> create : creates) {
                assertThat(create.get()).isNotNull();
            }
        } finally {
            pool.shutdown();
        }
        List<Object> slugs = Database.rows("SELECT slug FROM video WHERE title = ?", title).stream()
                .map(row -> row.get("slug")).toList();
        assertThat(slugs).hasSize(8).doesNotHaveDuplicates()
                .allSatisfy(slug -> assertThat((String) slug).matches(base + "-[a-z0-9]{8}"));

        // Chosen words get a random part too: two users asking for the same words both get a slug.
        String chosen = "my-own-slug-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> input = new HashMap<>(Map.of("title", "Chosen", "category", "test", "slug", chosen));
        String create = "mutation($input: CreateVideoInput!) { createVideo(input: $input) { slug } }";
        GraphQl.postAs(ALICE, create, Map.of("input", input)).body("data.createVideo.slug", startsWith(chosen + "-"));
        GraphQl.postAs(BOB, create, Map.of("input", input)).body("errors", nullValue())
                .body("data.createVideo.slug", startsWith(chosen + "-"));
        input.put("slug", "Not A Slug");
        GraphQl.postAs(ALICE, create, Map.of("input", input))
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", endsWith("in words joined by single dashes"));
        input.put("slug", "ok-slug");
        input.put("tags", List.of("fine", "not fine"));
        GraphQl.postAs(ALICE, create, Map.of("input", input)).body("errors[0].extensions.code", is("VALIDATION"));
    }

    @Test
    void videoExposesTheHlsOutputsAndSourceMetadata() {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Media urls", Map.of("tags", List.of("Sea", "dusk")));
        Videos.video(null, id, """
                        tags media { hls poster { url width height } progressive { url height bitrate }
                                     audio { url codecs channels } }
                        renditions { height codecs frameRate averageBitrate url }
                        source { rotation pixelFormat audioChannelLayout } transcodeAttempts""")
                .body("data.video.tags", contains("sea", "dusk"))
                .body("data.video.media.hls", is("/media/" + id + "/" + job(id) + "/master.m3u8"))
                .body("data.video.media.poster.url", endsWith("/poster.jpg"))
                .body("data.video.media.poster.width", is(1280))
                .body("data.video.media.progressive.url", endsWith("/progressive.mp4"))
                .body("data.video.media.audio.codecs", is("mp4a.40.2"))
                .body("data.video.renditions.height", contains(480, 360))
                .body("data.video.renditions[0].codecs", is("avc1.64001e"))
                .body("data.video.renditions[0].averageBitrate", is(1281000))
                .body("data.video.renditions[1].url", endsWith("/360p/playlist.m3u8"))
                .body("data.video.source.rotation", is(90))
                .body("data.video.source.audioChannelLayout", is("stereo"))
                .body("data.video.transcodeAttempts", is(1));
    }

    private static String job(String id) {
        return Database.row("SELECT job_id FROM video WHERE id = ?", UUID.fromString(id)).get("job_id").toString();
    }

    private static Map<String, Integer> categories(String user) {
        List<Map<String, Object>> rows = GraphQl.postAs(user, "{ categories { name count } }", Map.of())
                .body("errors", nullValue()).body("data.categories", notNullValue())
                .extract().path("data.categories");
        Map<String, Integer> counts = new HashMap<>();
        rows.forEach(row -> counts.put((String) row.get("name"), (Integer) row.get("count")));
        return counts;
    }

    private static String uniqueCategory() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
