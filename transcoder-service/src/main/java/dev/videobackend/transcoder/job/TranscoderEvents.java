package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.EventJson;
import dev.videobackend.transcoder.events.TranscodeProgress;
import dev.videobackend.transcoder.events.TranscoderEvent;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;

/**
 * Sends events to {@code video.transcode.events}, keyed by video id so that one video's events stay in order,
 * with CloudEvents headers mirroring the body's id, type, time and video, and the W3C {@code traceparent} of the
 * job's span, current on the thread that sends.
 */
@ApplicationScoped
public class TranscoderEvents {

    private static final URI SOURCE = URI.create("/transcoder-service");
    private static final String TYPE_PREFIX = "dev.videobackend.";
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(TranscoderEvents.class);

    private final MutinyEmitter<String> emitter;

    TranscoderEvents(@Channel("transcode-events") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Progress is sent without waiting: the final event of the job, sent after it, is the one awaited. */
    void sendProgress(TranscodeProgress progress) {
        emitter.sendMessageAndForget(message(progress));
    }

    /**
     * Sends and waits until the broker has the event: the job's record is acknowledged only after this returns, so
     * an event that cannot be sent leaves the job uncommitted (redelivered if the process stops) rather than lost.
     * The producer retries an event it has accepted until the broker has it (the channel has no delivery timeout);
     * a send refused before that (no metadata while Kafka is down, a full buffer) is tried again here, with back-off,
     * for as long as it takes.
     */
    void sendFinal(TranscoderEvent event) throws InterruptedException {
        Duration backoff = FIRST_RETRY;
        while (true) {
            try {
                emitter.sendMessageAndAwait(message(event));
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not send %s of job %s; retrying in %d ms", event.type(), event.jobId(),
                        backoff.toMillis());
            }
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : backoff.multipliedBy(2);
        }
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
                        .build())
                // The connector sends later, maybe on another thread: the job's context travels with the message.
                .addMetadata(TracingMetadata.withCurrent(Context.current()));
    }
}
