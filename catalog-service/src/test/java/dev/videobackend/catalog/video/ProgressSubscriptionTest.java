package dev.videobackend.catalog.video;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.GraphQlWebSocket;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Predicate;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Tokens.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/** The videoProgress subscription over a real WebSocket (graphql-transport-ws). */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class ProgressSubscriptionTest extends KafkaTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SUBSCRIPTION = """
            subscription($id: ID!) { videoProgress(id: $id) { status title progress { percent stage } } }""";

    @TestHTTPResource("/")
    URI base;

    @Test
    void streamsProgressAndStatusChangesAsTheyHappenUntilTheVideoIsDeleted() throws Exception {
        String id = Videos.create(ALICE, "Live", Map.of("visibility", "PRIVATE"));
        String job = Videos.upload(ALICE, id);

        try (GraphQlWebSocket socket = new GraphQlWebSocket(base, ALICE, false)) {
            socket.subscribe("1", SUBSCRIPTION, Map.of("id", id));
            assertThat(video(socket.await(next("1"), WAIT)).getString("status")).isEqualTo("QUEUED");

            kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(id, job, 25, Instant.now()));
            JsonObject progress = video(socket.await(next("1"), WAIT));
            assertThat(progress.getString("status")).isEqualTo("PROCESSING");
            assertThat(progress.getJsonObject("progress").getDouble("percent")).isEqualTo(25.0);

            kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.progress(id, job, 60, Instant.now()));
            assertThat(video(socket.await(next("1"), WAIT)).getJsonObject("progress").getDouble("percent")).isEqualTo(60.0);

            // A change committed by another replica reaches this one's subscribers through NOTIFY.
            Database.execute("UPDATE video SET title = 'Renamed elsewhere', version = version + 1 WHERE id = '" + id + "'",
                    "NOTIFY video_changes, '" + id + "'");
            assertThat(video(socket.await(next("1"), WAIT)).getString("title")).isEqualTo("Renamed elsewhere");

            GraphQl.postAs(ALICE, "mutation($id: ID!) { cancelTranscode(id: $id) { status } }", Map.of("id", id));
            JsonObject cancelled = video(socket.await(next("1"), WAIT));
            assertThat(cancelled.getString("status")).isEqualTo("UPLOADED");
            assertThat(cancelled.getValue("progress")).isNull();

            GraphQl.postAs(ALICE, "mutation($id: ID!) { deleteVideo(id: $id) }", Map.of("id", id));
            socket.await(message -> "1".equals(message.getString("id")) && "complete".equals(message.getString("type")), WAIT);
        }
    }

    @Test
    void followsTheVisibilityRulesAndTakesTheTokenFromTheInitPayload() throws Exception {
        String id = Videos.create(ALICE, "Not for Bob", Map.of("visibility", "PRIVATE"));

        try (GraphQlWebSocket bob = new GraphQlWebSocket(base, BOB, false)) {
            bob.subscribe("1", SUBSCRIPTION, Map.of("id", id));
            JsonObject refused = bob.await(message -> "1".equals(message.getString("id")), WAIT);
            assertThat(refused.encode()).contains("NOT_FOUND");
            assertThat(refused.getString("type")).isIn("error", "next");
        }
        try (GraphQlWebSocket anonymous = new GraphQlWebSocket(base, null, false)) {
            anonymous.subscribe("1", SUBSCRIPTION, Map.of("id", id));
            assertThat(anonymous.await(message -> "1".equals(message.getString("id")), WAIT).encode()).contains("NOT_FOUND");
        }
        try (GraphQlWebSocket alice = new GraphQlWebSocket(base, ALICE, true)) {
            alice.subscribe("1", SUBSCRIPTION, Map.of("id", id));
            assertThat(video(alice.await(next("1"), WAIT)).getString("title")).isEqualTo("Not for Bob");
        }
    }

    @Test
    void endsWithUnauthenticatedWhenTheTokenStopsBeingAcceptedAtExpiryPlusTheClockSkew() throws Exception {
        String id = Videos.create(ALICE, "Short-lived watch", Map.of("visibility", "PRIVATE"));
        Instant expiry = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        Duration clockSkew = Duration.ofSeconds(ConfigProvider.getConfig().getValue("mp.jwt.verify.clock.skew", Integer.class));

        try (GraphQlWebSocket socket = new GraphQlWebSocket(base, false, Tokens.expiringAt(ALICE, expiry))) {
            socket.subscribe("1", SUBSCRIPTION, Map.of("id", id));
            assertThat(video(socket.await(next("1"), WAIT)).getString("title")).isEqualTo("Short-lived watch");

            JsonObject ended = socket.await(message -> "1".equals(message.getString("id"))
                    && message.encode().contains("UNAUTHENTICATED"), WAIT);
            // Every request is allowed the clock skew past "exp": a subscription gets as long.
            assertThat(Instant.now()).isAfterOrEqualTo(expiry.plus(clockSkew));
            assertThat(ended.encode()).contains("The token expired");
        }
    }

    @Test
    void aMutationSentOverAnOpenSocketAfterTheTokenStoppedBeingAcceptedIsRefused() throws Exception {
        Instant expiry = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        Duration clockSkew = Duration.ofSeconds(ConfigProvider.getConfig().getValue("mp.jwt.verify.clock.skew", Integer.class));
        String create = "mutation { createVideo(input: {title: \"Sent too late\", category: \"test\"}) { id } }";

        try (GraphQlWebSocket socket = new GraphQlWebSocket(base, false, Tokens.expiringAt(ALICE, expiry))) {
            socket.subscribe("in-time", create.replace("Sent too late", "Sent in time"), Map.of());
            assertThat(socket.await(message -> "in-time".equals(message.getString("id")), WAIT).encode())
                    .doesNotContain("errors");

            // Waiting out the token (not synchronising with the server): nothing to poll but the clock.
            Instant refusedFrom = expiry.plus(clockSkew).plusMillis(100);
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> Instant.now().isAfter(refusedFrom));
            socket.subscribe("too-late", create, Map.of());
            JsonObject refused = socket.await(message -> "too-late".equals(message.getString("id")), WAIT);
            assertThat(refused.encode()).contains("UNAUTHENTICATED", "The token expired");
        }
        assertThat(Database.rows("SELECT id FROM video WHERE title = 'Sent too late'")).isEmpty();
        assertThat(Database.rows("SELECT id FROM video WHERE title = 'Sent in time'")).hasSize(1);
    }

    private static Predicate<JsonObject> next(String id) {
        return message -> id.equals(message.getString("id")) && "next".equals(message.getString("type"));
    }

    private static JsonObject video(JsonObject next) {
        JsonObject payload = next.getJsonObject("payload");
        assertThat(payload.getValue("errors")).as(payload.encode()).isNull();
        return payload.getJsonObject("data").getJsonObject("videoProgress");
    }
}
