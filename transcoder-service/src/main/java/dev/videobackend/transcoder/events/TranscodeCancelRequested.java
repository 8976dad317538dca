package dev.videobackend.transcoder.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/**
 * From the catalog, on {@code video.transcode.control}: stop this job wherever it runs, and skip it if it has not
 * started. Contract and example: {@code docs/events.md}, {@code docs/events/transcode-cancel-requested.json}.
 */
@RegisterForReflection
public record TranscodeCancelRequested(
        UUID eventId,
        String type,
        int schemaVersion,
        UUID videoId,
        UUID jobId,
        Instant occurredAt,
        String reason) {

    public static final String TYPE = "TranscodeCancelRequested";
}
