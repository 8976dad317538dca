package dev.videobackend.transcoder.job;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.file.Path;

/** A {@code @QuarkusTest} of jobs: the running transcoder's Kafka and media directory, and traffic to them. */
public abstract class JobTrafficTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "transcoder.media.root")
    Path mediaRoot;

    JobTraffic traffic;

    @BeforeEach
    void connect() {
        traffic = new JobTraffic(bootstrapServers, mediaRoot);
    }

    @AfterEach
    void disconnect() {
        traffic.close();
    }
}
