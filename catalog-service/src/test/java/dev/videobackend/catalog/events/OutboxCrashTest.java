package dev.videobackend.catalog.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import dev.videobackend.infra.kafka.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.videobackend.catalog.Videos.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crash between commit and publish, played by suspending the relay: the committed event waits in the outbox,
 * nothing reaches Kafka, and once the relay runs again the event arrives and its row is marked sent.
 */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class OutboxCrashTest {

    @Inject
    OutboxRelay relay;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @AfterEach
    void restart() {
        relay.resume();
    }

    @Test
    void anEventCommittedWhileTheRelayIsDownIsPublishedWhenItComesBack() throws Exception {
        String id = Videos.create(Tokens.ALICE, "Crash in between", Map.of());
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
                KafkaTestClient.Reader requests = kafka.reader(CatalogTestProfile.REQUESTS_TOPIC)) {
            relay.suspend();
            String job = Videos.upload(Tokens.ALICE, id);

            Map<String, Object> row = Database.row(
                    "SELECT id, sent_at FROM outbox_event WHERE message_key = ? AND event_type = 'TranscodeRequested'", id);
            assertThat(row.get("sent_at")).isNull();
            UUID eventId = (UUID) row.get("id");
            // Several sweep intervals (1 s) pass with nothing published.
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> requests.all(r -> id.equals(r.key())).isEmpty());

            relay.resume();
            ConsumerRecord<String, String> record = requests.await(r -> id.equals(r.key()), TIMEOUT);
            var event = new ObjectMapper().readTree(record.value());
            assertThat(event.get("eventId").asText()).isEqualTo(eventId.toString());
            assertThat(event.get("jobId").asText()).isEqualTo(job);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                    Database.row("SELECT sent_at FROM outbox_event WHERE id = ?", eventId).get("sent_at")).isNotNull());
            List<ConsumerRecord<String, String>> copies = requests.all(r -> id.equals(r.key()));
            assertThat(copies).isNotEmpty().allMatch(copy -> copy.value().equals(record.value()));
        }
    }
}
