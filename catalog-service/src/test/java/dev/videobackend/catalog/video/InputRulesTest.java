package dev.videobackend.catalog.video;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.videobackend.catalog.Tokens.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Text that PostgreSQL refuses or that misleads readers is refused as VALIDATION, naming the rule, never INTERNAL. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class InputRulesTest {

    private static final String CREATE = "mutation($input: CreateVideoInput!) { createVideo(input: $input) { id description } }";
    private static final String UPDATE = """
            mutation($id: ID!, $input: UpdateVideoInput!) { updateVideo(id: $id, expectedVersion: 0, input: $input) { id } }""";
    private static final String LIST = "query($filter: VideoFilter) { videos(filter: $filter) { edges { node { id } } } }";

    @Test
    void controlAndBidiOverrideCharactersAreRefusedInTitlesAndDescriptions() {
        Map<String, String> titles = Map.of(
                "nul", "Before\u0000after",
                "bell", "Ring\u0007ring",
                "line break", "Two\nlines",
                "right-to-left override", "invoice\u202Egpj.exe",
                "isolate", "name\u2066hidden\u2069");
        titles.forEach((kind, title) -> create(Map.of("title", title))
                .body("data", nullValue())
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", startsWith("title must not contain control characters")));

        create(Map.of("title", "Description with NUL", "description", "a\u0000b"))
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", startsWith("description must not contain control characters"));
        create(Map.of("title", "Description with override", "description", "see \u202Dthis"))
                .body("errors[0].extensions.code", is("VALIDATION"));
        assertThat(Database.rows("SELECT id FROM video WHERE title LIKE 'Description with %'")).isEmpty();

        // Line breaks and tabs are text in a description; right-to-left scripts are welcome everywhere.
        create(Map.of("title", "שלום עולם", "description", "first line\nsecond\tline"))
                .body("errors", nullValue())
                .body("data.createVideo.description", is("first line\nsecond\tline"));

        String id = Videos.create(ALICE, "Edited later", Map.of());
        GraphQl.postAs(ALICE, UPDATE, Map.of("id", id, "input", Map.of("description", "x\u0000y")))
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", startsWith("description must not contain control characters"));
    }

    @Test
    void searchTermsAndOwnerFiltersAreBoundedAndClean() {
        GraphQl.post(LIST, Map.of("filter", Map.of("search", "sunset ".repeat(100))))
                .body("data", nullValue())
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", is("search must have at most 200 characters"));
        GraphQl.post(LIST, Map.of("filter", Map.of("search", "sun\u0000set")))
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", startsWith("search must not contain control characters"));
        GraphQl.post(LIST, Map.of("filter", Map.of("owner", "al\u0000ice")))
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", startsWith("owner must not contain control characters"));
        GraphQl.post(LIST, Map.of("filter", Map.of("owner", "o".repeat(256))))
                .body("errors[0].extensions.code", is("VALIDATION"))
                .body("errors[0].message", is("owner must have at most 255 characters"));
        GraphQl.post(LIST, Map.of("filter", Map.of("search", "sunset")))
                .body("errors", nullValue());
    }

    private static io.restassured.response.ValidatableResponse create(Map<String, String> fields) {
        Map<String, Object> input = new HashMap<>(Map.of("category", "test"));
        input.putAll(fields);
        input.putIfAbsent("title", "Title " + UUID.randomUUID());
        return GraphQl.postAs(ALICE, CREATE, Map.of("input", input));
    }
}
