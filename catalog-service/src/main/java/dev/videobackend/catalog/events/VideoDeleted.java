package dev.videobackend.catalog.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/**
 * Catalog to anyone, on {@code video.catalog.events}: the video is gone, in the same transaction as its row.
 * Example: {@code docs/events/video-deleted.json}.
 */
@RegisterForReflection
public record VideoDeleted(
        UUID eventId,
        String type,
        int schemaVersion,
        UUID videoId,
        Instant occurredAt,
        String slug,
        String owner) implements CatalogEvent {

    public static final String TYPE = "VideoDeleted";

    public static VideoDeleted of(UUID videoId, String slug, String owner, Instant now) {
        return new VideoDeleted(UUID.randomUUID(), TYPE, EventJson.SCHEMA_VERSION, videoId, now, slug, owner);
    }
}
