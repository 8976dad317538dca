package dev.videobackend.transcoder.job;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The age check of {@link JobOffsets} on its own: a received record whose job does not start within the limit
 * reports the channel failed (the connector turns that into health DOWN). In the service no received record waits,
 * as {@code JobConsumptionTest} shows: records wait in Kafka, unpolled, until a slot is free.
 */
class JobOffsetsAgeTest {

    private static final String TOPIC = "video.transcode.requests";
    private static final long MAX_AGE_MILLIS = 200;

    private final Vertx vertx = Vertx.vertx();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final JobOffsets.Factory factory = new JobOffsets.Factory();
    private KafkaCommitHandler offsets;

    @BeforeEach
    void createStrategy() {
        KafkaConnectorIncomingConfiguration channel = new KafkaConnectorIncomingConfiguration(
                new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                        "channel-name", "transcode-requests",
                        "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                        "throttled.unprocessed-record-max-age.ms", Long.toString(MAX_AGE_MILLIS)),
                        "transcode-requests channel", 100)).build());
        // The age check never touches the consumer: it only reads what the strategy was told.
        offsets = factory.create(channel, vertx, null, (failure, fatal) -> failures.add(failure));
    }

    @AfterEach
    void close() {
        offsets.terminate(false);
        vertx.closeAndAwait();
    }

    @Test
    void aReceivedRecordWhoseJobDoesNotStartWithinTheLimitReportsTheChannelFailed() {
        offsets.received(record(7)).await().indefinitely();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !failures.isEmpty());
        assertThat(failures.get(0)).hasMessageStartingWith("Record 7 of " + TOPIC + "-0 has waited")
                .hasMessageEndingWith("for a job slot (limit 200 ms): the job consumer is stuck");
    }

    @Test
    void aRecordWhoseJobStartedDoesNotCountHoweverLongTheJobRuns() {
        offsets.received(record(7)).await().indefinitely();
        factory.started(TOPIC, 0, 7);

        Awaitility.await().during(Duration.ofMillis(5 * MAX_AGE_MILLIS)).atMost(Duration.ofSeconds(5))
                .until(failures::isEmpty);
    }

    private IncomingKafkaRecord<String, String> record(long offset) {
        return new IncomingKafkaRecord<>(new ConsumerRecord<>(TOPIC, 0, offset, "video", "{}"), "transcode-requests",
                0, offsets, null, false, false);
    }
}
