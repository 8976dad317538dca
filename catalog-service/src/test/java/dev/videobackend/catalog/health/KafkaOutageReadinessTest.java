package dev.videobackend.catalog.health;

import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the broker really stopped, the catalog stays ready and keeps accepting changes: their events wait in the
 * outbox. Its Kafka channels stay out of readiness (each channel's {@code health-readiness-enabled=false}), so that
 * a Kafka outage does not take every catalog pod out of its Service.
 */
@QuarkusTest
@TestProfile(KafkaOutageProfile.class)
class KafkaOutageReadinessTest {

    /** Long enough for the Kafka clients to lose their connections, which is what their readiness checks follow. */
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    @Test
    void theCatalogStaysReadyAndAcceptsChangesWhileKafkaIsDown() {
        await().atMost(Videos.TIMEOUT).until(() -> status("/q/health/ready") == 200);

        KafkaOutageProfile.StoppableKafka.stopBroker();

        await().during(OUTAGE).atMost(OUTAGE.plusSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> status("/q/health/ready") == 200 && status("/q/health/live") == 200);
        String id = Videos.create(Tokens.ALICE, "Uploaded while Kafka is down", Map.of());
        Videos.upload(Tokens.ALICE, id);
        Map<String, Object> request = Database.row(
                "SELECT sent_at FROM outbox_event WHERE message_key = ? AND event_type = 'TranscodeRequested'", id);
        assertThat(request.get("sent_at")).as("the request waits in the outbox").isNull();
        assertThat(status("/q/health/ready")).isEqualTo(200);
    }

    private static int status(String path) {
        return given().get(path).statusCode();
    }
}
