package dev.videobackend.transcoder.transcode;

/**
 * What probing found in a source. Sizes are the coded ones; {@link #displayWidth()} applies the sample aspect
 * ratio, which is what a player shows.
 */
public record SourceInfo(
        String container,
        double durationSeconds,
        int width,
        int height,
        int sampleAspectNum,
        int sampleAspectDen,
        double frameRate,
        String videoCodec,
        String pixelFormat,
        String audioCodec) {

    public boolean hasAudio() {
        return audioCodec != null;
    }

    /** Width once non-square pixels are made square. */
    public double displayWidth() {
        return sampleAspectNum > 0 && sampleAspectDen > 0 ? (double) width * sampleAspectNum / sampleAspectDen : width;
    }
}
