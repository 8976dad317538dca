package dev.videobackend.catalog;

import dev.videobackend.infra.kafka.KafkaTestClient;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Path;

/** For tests that play the transcoder: a Kafka client of the test broker, and the media root the service uses. */
public abstract class KafkaTestBase {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    protected String bootstrapServers;

    @ConfigProperty(name = "catalog.media.root")
    protected Path mediaRoot;

    protected KafkaTestClient kafka;

    @BeforeEach
    void connectKafka() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    @AfterEach
    void disconnectKafka() {
        kafka.close();
    }
}
