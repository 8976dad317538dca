package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.GraphQlWebSocket;
import dev.videobackend.catalog.LimitsTestProfile;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Every subscriber costs a read per change: subscriptions are capped per connection and per user. */
@QuarkusTest
@TestProfile(LimitsTestProfile.class)
class SubscriptionLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SUBSCRIPTION = "subscription($id: ID!) { videoProgress(id: $id) { status } }";

    @TestHTTPResource("/")
    URI base;

    @Test
    void subscriptionsAreCappedPerConnectionAndPerUser() throws Exception {
        String user = "watcher-" + UUID.randomUUID();
        String id = Videos.create(user, "Watched closely", Map.of("visibility", "PRIVATE"));
        Map<String, Object> variables = Map.of("id", id);

        try (GraphQlWebSocket first = new GraphQlWebSocket(base, user, false);
                GraphQlWebSocket second = new GraphQlWebSocket(base, user, true)) {
            for (int i = 1; i <= LimitsTestProfile.MAX_SUBSCRIPTIONS_PER_CONNECTION; i++) {
                first.subscribe("s" + i, SUBSCRIPTION, variables);
                first.await(next("s" + i), WAIT);
            }
            first.subscribe("over", SUBSCRIPTION, variables);
            assertThat(first.await(about("over"), WAIT).encode())
                    .contains("QUOTA_EXCEEDED", "catalog.graphql.max-subscriptions-per-connection");

            // The user's third, on another connection, is within both caps; a fourth is over the user's.
            second.subscribe("t1", SUBSCRIPTION, variables);
            second.await(next("t1"), WAIT);
            second.subscribe("t2", SUBSCRIPTION, variables);
            assertThat(second.await(about("t2"), WAIT).encode())
                    .contains("QUOTA_EXCEEDED", "catalog.graphql.max-subscriptions-per-user");

            // A subscription that ends gives its place back.
            first.complete("s1");
            assertThat(retrySubscribe(second, variables)).isTrue();
        }
        try (GraphQlWebSocket fresh = new GraphQlWebSocket(base, user, false)) {
            // Closed connections gave back all of theirs.
            for (int i = 1; i <= LimitsTestProfile.MAX_SUBSCRIPTIONS_PER_CONNECTION; i++) {
                fresh.subscribe("u" + i, SUBSCRIPTION, variables);
                fresh.await(next("u" + i), WAIT);
            }
        }
    }

    /** The server frees a completed subscription on its own time: subscribe until a place is free. */
    private static boolean retrySubscribe(GraphQlWebSocket socket, Map<String, Object> variables) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            String id = "retry" + attempt;
            socket.subscribe(id, SUBSCRIPTION, variables);
            JsonObject answer = socket.await(about(id), WAIT);
            if ("next".equals(answer.getString("type"))) {
                return true;
            }
        }
        return false;
    }

    private static Predicate<JsonObject> next(String id) {
        return message -> id.equals(message.getString("id")) && "next".equals(message.getString("type"));
    }

    private static Predicate<JsonObject> about(String id) {
        return message -> id.equals(message.getString("id"));
    }
}
