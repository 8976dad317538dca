package dev.videobackend.transcoder.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The job's renditions are published under the media root, with what was measured of source and outputs. */
@RegisterForReflection
public record TranscodeCompleted(
        UUID eventId,
        String type,
        int schemaVersion,
        UUID videoId,
        UUID jobId,
        Instant occurredAt,
        Source source,
        List<Rendition> renditions,
        double elapsedSeconds) implements TranscoderEvent {

    public static final String TYPE = "TranscodeCompleted";

    @RegisterForReflection
    public record Source(
            String container,
            double durationSeconds,
            int width,
            int height,
            double frameRate,
            String videoCodec,
            String audioCodec) {
    }

    /** One output; {@code path} is relative to the media root, {@code bitrate} in bits per second. */
    @RegisterForReflection
    public record Rendition(
            int height,
            int width,
            String videoCodec,
            String audioCodec,
            long bitrate,
            String path,
            String mimeType,
            long sizeBytes,
            double durationSeconds) {
    }
}
