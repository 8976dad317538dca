package dev.videobackend.transcoder.transcode;

/** A rendition to make from a given source: output size and target bitrate. */
public record Rung(int width, int height, long videoBitrate) {

    /** File name stem, e.g. {@code 720p}. */
    public String name() {
        return height + "p";
    }
}
