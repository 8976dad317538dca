package dev.videobackend.catalog.video;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A transcoder event the catalog has handled, recorded in the same transaction: a redelivery is ignored. */
@Entity
@Table(name = "inbox_event")
public class InboxEvent extends PanacheEntityBase {

    @Id
    public UUID eventId;

    public UUID videoId;
    public String eventType;
    public Instant appliedAt;
}
