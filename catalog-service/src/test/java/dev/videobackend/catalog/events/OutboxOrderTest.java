package dev.videobackend.catalog.events;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import dev.videobackend.infra.kafka.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.videobackend.catalog.Videos.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.nullValue;

/**
 * The relay publishes one video's events in the order they were written: in the order of their rows, not of their
 * timestamps (one transaction's events share theirs), and one pass at a time, since two passes locking rows side by
 * side would send them concurrently.
 */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class OutboxOrderTest {

    private static final String DELETE = "mutation($id: ID!) { deleteVideo(id: $id) }";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void theEventsOfOneTransactionGoOutInTheOrderTheyWereWritten() throws Exception {
        String id = Videos.create(Tokens.ALICE, "Deleted in order", Map.of());
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
                KafkaTestClient.Reader catalogEvents = kafka.reader(CatalogTestProfile.CATALOG_EVENTS_TOPIC)) {
            GraphQl.postAs(Tokens.ALICE, DELETE, Map.of("id", id)).body("errors", nullValue());

            List<Map<String, Object>> rows = Database.rows(
                    "SELECT event_type, created_at FROM outbox_event WHERE message_key = ? AND topic = ?"
                            + " ORDER BY sequence_number", id, CatalogTestProfile.CATALOG_EVENTS_TOPIC);
            assertThat(rows).extracting(row -> row.get("event_type")).containsExactly("VideoDeleted", "VideoMediaRevoked");
            assertThat(rows.get(0).get("created_at")).as("one timestamp for both").isEqualTo(rows.get(1).get("created_at"));
            await().atMost(TIMEOUT).until(() -> catalogEvents.all(r -> id.equals(r.key())).size() == 2);
            assertThat(catalogEvents.all(r -> id.equals(r.key()))).extracting(ConsumerRecord::value)
                    .satisfiesExactly(first -> assertThat(first).contains("\"VideoDeleted\""),
                            second -> assertThat(second).contains("\"VideoMediaRevoked\""));
        }
    }

    @Test
    void noPassPublishesWhileAnotherOneRuns() throws Exception {
        String id = Videos.create(Tokens.ALICE, "Waits its turn", Map.of());
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
                KafkaTestClient.Reader catalogEvents = kafka.reader(CatalogTestProfile.CATALOG_EVENTS_TOPIC);
                Connection otherPass = Database.connect()) {
            // Another replica's pass, as far as the relay can tell: it holds the pass lock in an open transaction.
            otherPass.setAutoCommit(false);
            try (var lock = otherPass.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock(" + OutboxRelay.PASS_LOCK + ")");
            }
            GraphQl.postAs(Tokens.ALICE, DELETE, Map.of("id", id)).body("errors", nullValue());
            // The request's own pass and several sweeps (1 s) go by without sending.
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> catalogEvents.all(r -> id.equals(r.key())).isEmpty());
            assertThat(Database.rows("SELECT id FROM outbox_event WHERE message_key = ? AND sent_at IS NULL", id))
                    .hasSize(2);

            otherPass.commit();
            await().atMost(TIMEOUT).until(() -> catalogEvents.all(r -> id.equals(r.key())).size() == 2);
            assertThat(Database.rows("SELECT id FROM outbox_event WHERE message_key = ? AND sent_at IS NULL", id))
                    .isEmpty();
        }
    }
}
