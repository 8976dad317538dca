package dev.videobackend.catalog.events;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An event written in the same transaction as the change it reports, waiting for the relay to publish it. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    /** The event id, which consumers de-duplicate on. */
    @Id
    public UUID id;

    public String topic;
    public String messageKey;
    public String eventType;
    public String payload;
    public Instant createdAt;
    /** The order the relay publishes in: an identity the database assigns as rows are inserted. */
    @Column(insertable = false, updatable = false)
    public Long sequenceNumber;
    public Instant sentAt;
    /** The W3C traceparent of the span that wrote the event; {@code null} while tracing is off. */
    public String traceparent;
}
