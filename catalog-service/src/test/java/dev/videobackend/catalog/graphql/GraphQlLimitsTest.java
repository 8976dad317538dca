package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.GraphQl;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Queries too deep, too complex or too large are refused before they run. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class GraphQlLimitsTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aQueryDeeperThanTheLimitIsRefused() {
        // The deepest query the schema allows is 6 levels; introspection nests deeper.
        String deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType "
                + "{ name } } } } } } } } } } }";
        GraphQl.post(deep, Map.of())
                .body("data", nullValue())
                .body("errors[0].message", containsString("depth"));

        GraphQl.post("{ videos(first: 1) { edges { node { media { poster { url } } } } } }", Map.of())
                .body("errors", nullValue());
    }

    @Test
    void aQueryWithTooManyFieldsIsRefused() {
        StringBuilder many = new StringBuilder("{ videos { edges { node { ");
        for (int i = 0; i < 400; i++) {
            many.append("f").append(i).append(": title ");
        }
        many.append("} } } }");
        GraphQl.post(many.toString(), Map.of())
                .body("data", nullValue())
                .body("errors[0].message", notNullValue());
    }

    @Test
    void aBodyOverTheGraphQlLimitIsRefusedWithoutReadingIt() throws Exception {
        String padding = " ".repeat(300_000);
        given().contentType(ContentType.JSON)
                .body("{\"query\": \"{ categories { name } }" + padding + "\"}")
                .when().post("/graphql")
                .then().statusCode(413).contentType("application/problem+json")
                .body("code", is("PAYLOAD_TOO_LARGE"))
                .body("detail", is("A GraphQL request may have at most 262144 bytes"));

        // A body of unknown length is sent chunked, without Content-Length.
        byte[] query = "{\"query\": \"{ categories { name } }\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/graphql"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(query)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(411);
        assertThat(chunked.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
}
