package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.videobackend.catalog.Tokens.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * With one request allowed at a time, a request held up in the database keeps the only turn: the next one waits its
 * deadline and is refused with 503, Retry-After and a problem body, instead of joining an endless backlog; once the
 * first ends, requests are served again.
 */
@QuarkusTest
@TestProfile(LoadSheddingTest.OneAtATime.class)
class LoadSheddingTest {

    public static class OneAtATime extends CatalogTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("catalog.graphql.max-concurrent-requests", "1",
                    "catalog.graphql.max-queue-wait", "300ms",
                    "catalog.graphql.retry-after", "2s");
        }
    }

    private static final String RENAME = """
            mutation($id: ID!, $version: Int!) {
              updateVideo(id: $id, expectedVersion: $version, input: {title: "Renamed"}) { title } }""";
    private static final String CATEGORIES = "{ categories { name } }";

    @Test
    void aRequestThatWaitedPastItsDeadlineIsRefusedWithRetryAfter() throws Exception {
        String id = Videos.create(ALICE, "Held", Map.of());
        Object version = Videos.video(ALICE, id, "version").extract().path("data.video.version");
        CompletableFuture<String> held;
        try (Connection lock = connect()) {
            lock.setAutoCommit(false);
            try (PreparedStatement select = lock.prepareStatement("SELECT id FROM video WHERE id = ? FOR UPDATE")) {
                select.setObject(1, UUID.fromString(id));
                select.executeQuery().close();
            }
            held = CompletableFuture.supplyAsync(() -> GraphQl.postAs(ALICE, RENAME, Map.of("id", id,
                    "version", version)).extract().path("data.updateVideo.title"));
            await().atMost(Duration.ofSeconds(30)).until(LoadSheddingTest::someoneWaitsForALock);

            Tokens.as(ALICE).contentType(ContentType.JSON).body(Map.of("query", CATEGORIES))
                    .when().post("/graphql")
                    .then().statusCode(503)
                    .header("Retry-After", "2")
                    .contentType("application/problem+json")
                    .body("code", is("OVERLOADED"))
                    .body("status", is(503));
            lock.rollback();
        }
        assertThat(held.get()).isEqualTo("Renamed");
        GraphQl.postAs(ALICE, CATEGORIES, Map.of()).body("errors", nullValue());
    }

    private static boolean someoneWaitsForALock() throws SQLException {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1) > 0;
        }
    }

    private static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }
}
