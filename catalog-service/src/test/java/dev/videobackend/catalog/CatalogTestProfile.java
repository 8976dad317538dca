package dev.videobackend.catalog;

import dev.videobackend.infra.quarkus.KafkaResource;
import dev.videobackend.infra.quarkus.PostgresResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** Real PostgreSQL and Kafka for every {@code @QuarkusTest} of the catalog; one profile, so one application start. */
public class CatalogTestProfile implements QuarkusTestProfile {

    public static final String REQUESTS_TOPIC = "video.transcode.requests";
    public static final String EVENTS_TOPIC = "video.transcode.events";
    public static final String EVENTS_DEAD_LETTER_TOPIC = "video.transcode.events.dlq";
    public static final String CONTROL_TOPIC = "video.transcode.control";
    public static final String CATALOG_EVENTS_TOPIC = "video.catalog.events";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(PostgresResource.class, Map.of("database", "catalog")),
                new TestResourceEntry(KafkaResource.class, Map.of("topics",
                        REQUESTS_TOPIC + ":3," + EVENTS_TOPIC + ":3," + EVENTS_DEAD_LETTER_TOPIC + ":1,"
                                + CONTROL_TOPIC + ":3," + CATALOG_EVENTS_TOPIC + ":3")),
                new TestResourceEntry(JwtKeysResource.class));
    }
}
