package dev.videobackend.transcoder.transcode;

/**
 * A rendition to make from a given source: output size (display orientation), target bitrate and frame rate.
 * {@code label} is the shorter side, as ladders name rungs: a portrait 1080x1920 rendition is the 1080p rung.
 */
public record Rung(int label, int width, int height, long videoBitrate) {

    /** Directory name, e.g. {@code 720p}. */
    public String name() {
        return label + "p";
    }
}
