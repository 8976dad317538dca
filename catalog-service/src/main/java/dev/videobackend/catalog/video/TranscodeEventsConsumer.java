package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.UnavailableException;
import dev.videobackend.catalog.events.EventJson;
import dev.videobackend.catalog.events.MalformedEventException;
import dev.videobackend.catalog.events.TranscoderEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Consumes {@code video.transcode.events}. A record that is not a valid event is refused and goes to the
 * dead-letter topic; a failure to apply a valid one is retried, holding back the partition so that one video's
 * events stay in order: while the database is unreachable for as long as it is (up to the channel's
 * {@code throttled.unprocessed-record-max-age.ms}, past which liveness fails and a restart redelivers the event),
 * any other failure (a concurrent update) ten times before the event is dead-lettered.
 */
@ApplicationScoped
public class TranscodeEventsConsumer {

    private static final Logger LOG = Logger.getLogger(TranscodeEventsConsumer.class);

    private final TranscodeEventsService events;

    TranscodeEventsConsumer(TranscodeEventsService events) {
        this.events = events;
    }

    @Incoming("transcode-events")
    public Uni<Void> consume(String payload) {
        TranscoderEvent event;
        try {
            event = EventJson.readTranscoderEvent(payload);
        } catch (MalformedEventException e) {
            LOG.warnf("Refused a malformed record on the transcode events topic: %s", e.getMessage());
            return Uni.createFrom().failure(e);
        }
        return events.apply(event)
                // The database is away (a restart, a fail-over): the event is fine, so wait for the database however
                // long it takes instead of dead-lettering it after the retries below, which would lose it.
                .onFailure(UnavailableException::isCause).invoke(failure -> LOG.warnf(
                        "Waiting for the database to apply %s %s: %s", event.type(), event.eventId(), failure))
                .onFailure(UnavailableException::isCause)
                .retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10)).indefinitely()
                .onFailure(failure -> !(failure instanceof MalformedEventException))
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(10)
                .onFailure().invoke(failure -> LOG.errorf(failure, "Could not apply %s %s of video %s",
                        event.type(), event.eventId(), event.videoId()));
    }
}
