package dev.videobackend.catalog.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/**
 * Catalog to every transcoder, on {@code video.transcode.control}: stop this job. The catalog has already ended
 * the job when it sends this. Example: {@code docs/events/transcode-cancel-requested.json}.
 */
@RegisterForReflection
public record TranscodeCancelRequested(
        UUID eventId,
        String type,
        int schemaVersion,
        UUID videoId,
        UUID jobId,
        Instant occurredAt,
        Reason reason) implements CatalogEvent {

    public static final String TYPE = "TranscodeCancelRequested";

    public enum Reason {
        CANCELLED_BY_USER,
        VIDEO_DELETED,
        /** A new upload replaced the source the job transcodes. */
        SOURCE_REPLACED
    }

    public static TranscodeCancelRequested of(UUID videoId, UUID jobId, Reason reason, Instant now) {
        return new TranscodeCancelRequested(UUID.randomUUID(), TYPE, EventJson.SCHEMA_VERSION, videoId, jobId, now, reason);
    }
}
