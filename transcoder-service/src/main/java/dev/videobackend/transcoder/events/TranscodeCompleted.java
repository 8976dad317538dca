package dev.videobackend.transcoder.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The job's HLS ladder is published under the media root, with what was measured of source and outputs. Paths are
 * relative to the media root or the bucket's prefix; bitrates in bits per second. {@code renditions} is the H.264
 * ladder; {@code av1Renditions} the optional AV1 variants ({@code null}, left out, when there are none). See
 * docs/events.md.
 */
@RegisterForReflection
public record TranscodeCompleted(
        UUID eventId,
        String type,
        int schemaVersion,
        UUID videoId,
        UUID jobId,
        Instant occurredAt,
        Source source,
        String masterPlaylistPath,
        List<Rendition> renditions,
        Audio audio,
        Poster poster,
        Progressive progressive,
        Storyboard storyboard,
        Integer attempt,
        double elapsedSeconds,
        List<Rendition> av1Renditions) implements TranscoderEvent {

    public static final String TYPE = "TranscodeCompleted";

    /** The optional fields are {@code null} (left out of the JSON) when the source has nothing to say. */
    @RegisterForReflection
    public record Source(
            String container,
            double durationSeconds,
            int width,
            int height,
            double frameRate,
            String videoCodec,
            String audioCodec,
            Integer rotation,
            String pixelFormat,
            Boolean interlaced,
            Boolean variableFrameRate,
            String audioChannelLayout) {
    }

    /** One rung: its media playlist, video only. {@code bitrate} is the peak segment bitrate. */
    @RegisterForReflection
    public record Rendition(
            int height,
            int width,
            String videoCodec,
            String codecs,
            double frameRate,
            long bitrate,
            long averageBitrate,
            String path,
            String mimeType,
            long sizeBytes,
            double durationSeconds) {
    }

    /** The audio playlist every rung shares. */
    @RegisterForReflection
    public record Audio(
            String codec,
            String codecs,
            int channels,
            int sampleRate,
            long bitrate,
            String path,
            String mimeType,
            long sizeBytes,
            double durationSeconds) {
    }

    @RegisterForReflection
    public record Poster(String path, String mimeType, int width, int height) {
    }

    /**
     * Scrubbing thumbnails, when the transcoder makes them: a WebVTT track ({@code path}) whose cues point into
     * the sprite sheets ({@code sprite-001.jpg#xywh=x,y,w,h}), a thumbnail every {@code intervalSeconds}.
     */
    @RegisterForReflection
    public record Storyboard(
            String path,
            String mimeType,
            double intervalSeconds,
            int tileWidth,
            int tileHeight,
            int columns,
            int rows,
            int thumbnails,
            List<Sprite> sprites) {
    }

    /** One sprite sheet of {@code columns} x {@code rows} tiles. */
    @RegisterForReflection
    public record Sprite(String path, String mimeType, int width, int height) {
    }

    @RegisterForReflection
    public record Progressive(
            String path,
            String mimeType,
            int width,
            int height,
            String videoCodec,
            String audioCodec,
            long bitrate,
            long sizeBytes,
            double durationSeconds) {
    }
}
