package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.EventJson;
import dev.videobackend.transcoder.events.TranscodeProgress;
import dev.videobackend.transcoder.events.TranscoderEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.net.URI;
import java.time.ZoneOffset;

/**
 * Sends events to {@code video.transcode.events}, keyed by video id so that one video's events stay in order,
 * with CloudEvents headers mirroring the body's id, type, time and video.
 */
@ApplicationScoped
public class TranscoderEvents {

    private static final URI SOURCE = URI.create("/transcoder-service");
    private static final String TYPE_PREFIX = "dev.videobackend.";

    private final MutinyEmitter<String> emitter;

    TranscoderEvents(@Channel("transcode-events") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Progress is sent without waiting: the final event of the job, sent after it, is the one awaited. */
    void sendProgress(TranscodeProgress progress) {
        emitter.sendMessageAndForget(message(progress));
    }

    /** Sends and waits until the broker has the event. */
    void sendFinal(TranscoderEvent event) {
        emitter.sendMessageAndAwait(message(event));
    }

    private static Message<String> message(TranscoderEvent event) {
        String videoId = event.videoId().toString();
        return Message.of(EventJson.write(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(videoId).build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(event.eventId().toString())
                        .withType(TYPE_PREFIX + event.type())
                        .withSource(SOURCE)
                        .withSubject(videoId)
                        .withTimestamp(event.occurredAt().atZone(ZoneOffset.UTC))
                        .withDataContentType("application/json")
                        .build());
    }
}
