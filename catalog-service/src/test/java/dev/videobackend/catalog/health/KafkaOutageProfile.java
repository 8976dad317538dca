package dev.videobackend.catalog.health;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.JwtKeysResource;
import dev.videobackend.infra.kafka.KafkaBroker;
import dev.videobackend.infra.kafka.TopicSpec;
import dev.videobackend.infra.quarkus.PostgresResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The catalog with a Kafka broker of its own, which a test may stop: a profile of its own, so that no other test
 * shares the broker it takes down.
 */
public class KafkaOutageProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(PostgresResource.class, Map.of("database", "catalog")),
                new TestResourceEntry(StoppableKafka.class),
                new TestResourceEntry(JwtKeysResource.class));
    }

    /** A broker started in this JVM, never an existing cluster: the test stops it. */
    public static class StoppableKafka implements QuarkusTestResourceLifecycleManager {

        private static KafkaBroker broker;

        @Override
        public Map<String, String> start() {
            broker = KafkaBroker.start(null, 0);
            broker.createTopics(TopicSpec.parseList(CatalogTestProfile.REQUESTS_TOPIC + ":1,"
                    + CatalogTestProfile.EVENTS_TOPIC + ":1," + CatalogTestProfile.EVENTS_DEAD_LETTER_TOPIC + ":1,"
                    + CatalogTestProfile.CONTROL_TOPIC + ":1," + CatalogTestProfile.CATALOG_EVENTS_TOPIC + ":1"));
            return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
        }

        static synchronized void stopBroker() {
            if (broker != null) {
                broker.close();
                broker = null;
            }
        }

        @Override
        public void stop() {
            stopBroker();
        }
    }
}
