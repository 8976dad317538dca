package dev.videobackend.catalog.events;

import java.time.Instant;
import java.util.UUID;

/** An event the catalog publishes through its outbox; the outbox reads the envelope from here. */
public sealed interface CatalogEvent permits TranscodeRequested, TranscodeCancelRequested, VideoDeleted, VideoMediaRevoked {

    UUID eventId();

    String type();

    UUID videoId();

    Instant occurredAt();
}
