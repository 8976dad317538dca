package dev.videobackend.catalog.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/**
 * Catalog to anyone, on {@code video.catalog.events}: the media under {@code mediaPrefix} must no longer be served
 * from caches, because the video was deleted or made private, in the same transaction as that change. For CDN
 * purge consumers. Example: {@code docs/events/video-media-revoked.json}.
 */
@RegisterForReflection
public record VideoMediaRevoked(
        UUID eventId,
        String type,
        int schemaVersion,
        UUID videoId,
        Instant occurredAt,
        Reason reason,
        String mediaPrefix) implements CatalogEvent {

    public static final String TYPE = "VideoMediaRevoked";

    public enum Reason {
        VIDEO_DELETED,
        MADE_PRIVATE
    }

    /** @param mediaPrefix the URL prefix of all the video's media, as clients were given it */
    public static VideoMediaRevoked of(UUID videoId, Reason reason, String mediaPrefix, Instant now) {
        return new VideoMediaRevoked(UUID.randomUUID(), TYPE, EventJson.SCHEMA_VERSION, videoId, now, reason, mediaPrefix);
    }
}
