package dev.videobackend.transcoder.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/**
 * From the catalog, on {@code video.transcode.requests}: transcode this source. Contract and examples:
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
        Source source) {

    public static final String TYPE = "TranscodeRequested";

    /**
     * The uploaded original; {@code path} is relative to the media root or the bucket's prefix. The contract's
     * optional {@code sha256} is left unread: it is absent from a direct upload's request, and nothing here uses it.
     */
    @RegisterForReflection
    public record Source(String path, long sizeBytes) {
    }
}
