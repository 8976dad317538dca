package dev.videobackend.transcoder;

import dev.videobackend.infra.quarkus.KafkaResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** A real Kafka broker for every {@code @QuarkusTest} of the transcoder; one profile, so one application start. */
public class TranscoderTestProfile implements QuarkusTestProfile {

    public static final String REQUESTS_TOPIC = "video.transcode.requests";
    public static final String REQUESTS_DEAD_LETTER_TOPIC = "video.transcode.requests.dlq";
    public static final String EVENTS_TOPIC = "video.transcode.events";
    public static final String CONTROL_TOPIC = "video.transcode.control";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaResource.class, Map.of("topics",
                REQUESTS_TOPIC + ":3," + REQUESTS_DEAD_LETTER_TOPIC + ":1," + EVENTS_TOPIC + ":3,"
                + CONTROL_TOPIC + ":3")));
    }
}
