package dev.videobackend.catalog.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/**
 * Catalog to transcoder, on {@code video.transcode.requests}: transcode this source. Contract and examples:
 * {@code docs/events.md}, {@code docs/events/transcode-requested.json}.
 */
@RegisterForReflection
public record TranscodeRequested(
        UUID eventId,
        String type,
        int schemaVersion,
        UUID videoId,
        UUID jobId,
        Instant occurredAt,
        Source source) implements CatalogEvent {

    public static final String TYPE = "TranscodeRequested";

    /** The uploaded original; {@code path} is relative to the media root or the bucket's prefix. */
    @RegisterForReflection
    public record Source(String path, long sizeBytes, String sha256) {
    }

    public static TranscodeRequested of(UUID videoId, UUID jobId, Source source, Instant now) {
        return new TranscodeRequested(UUID.randomUUID(), TYPE, EventJson.SCHEMA_VERSION, videoId, jobId, now, source);
    }
}
