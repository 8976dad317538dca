package dev.videobackend.catalog.events;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes events into the outbox table; call it inside the transaction of the state change. */
@ApplicationScoped
public class Outbox {

    private final OutboxConfig config;
    private final TraceContexts traces;

    Outbox(OutboxConfig config, TraceContexts traces) {
        this.config = config;
        this.traces = traces;
    }

    public Uni<Void> enqueue(CatalogEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.id = event.eventId();
        row.topic = topicOf(event);
        row.messageKey = event.videoId().toString();
        row.eventType = event.type();
        row.payload = EventJson.write(event);
        row.createdAt = event.occurredAt();
        row.traceparent = traces.currentTraceparent();
        return row.persist().replaceWithVoid();
    }

    private String topicOf(CatalogEvent event) {
        if (event instanceof TranscodeRequested) {
            return config.transcodeRequestsTopic();
        }
        if (event instanceof TranscodeCancelRequested) {
            return config.transcodeControlTopic();
        }
        return config.catalogEventsTopic();
    }
}
