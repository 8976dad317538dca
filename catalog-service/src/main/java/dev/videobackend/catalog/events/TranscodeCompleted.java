package dev.videobackend.catalog.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The job's output is published under {@code renditions/{videoId}/{jobId}/}: an HLS master playlist, one media
 * playlist per rung, the shared audio, a poster, a progressive MP4 and (optional) a storyboard, with what was
 * measured of each. Paths are relative to the media root. {@code av1Renditions}, optional, are AV1 variants of some
 * rungs, besides the H.264 {@code renditions}. Contract: {@code docs/events.md}.
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

    /** The H.264 renditions, then the AV1 variants if any: every rung the video is served in. */
    public List<Rendition> allRenditions() {
        if (av1Renditions == null || av1Renditions.isEmpty()) {
            return renditions;
        }
        List<Rendition> all = new ArrayList<>(renditions);
        all.addAll(av1Renditions);
        return all;
    }

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

    /** One rung: its HLS media playlist; {@code bitrate} is the peak of a segment, in bits per second. */
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

    /** The audio, encoded once and shared by every rung. */
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

    /** Scrubbing thumbnails: a WebVTT track whose cues point into the sprite sheets; absent when not made. */
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
