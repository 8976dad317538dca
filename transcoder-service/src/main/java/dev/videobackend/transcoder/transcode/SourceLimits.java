package dev.videobackend.transcoder.transcode;

import java.time.Duration;
import java.util.Locale;

/**
 * What the transcoder accepts of an untrusted source, and how much of it FFmpeg may read to find out: a source over
 * a limit fails with {@link FailureCode#TOO_LARGE} and a message that names the limit.
 */
public record SourceLimits(
        int maxWidth,
        int maxHeight,
        long maxPixels,
        Duration maxDuration,
        int maxStreams,
        long probeSizeBytes,
        Duration analyzeDuration,
        int maxDecoderThreads) {

    /** Refuses {@code source} when it is over any limit. */
    void check(SourceInfo source) {
        refuseOver("width", source.width(), maxWidth, "pixels", "transcoder.limits.max-width");
        refuseOver("height", source.height(), maxHeight, "pixels", "transcoder.limits.max-height");
        refuseOver("picture size", (long) source.width() * source.height(), maxPixels, "pixels",
                "transcoder.limits.max-pixels");
        refuseOver("duration", Math.round(Math.ceil(source.durationSeconds())), maxDuration.toSeconds(), "seconds",
                "transcoder.limits.max-duration");
        refuseOver("stream count", source.streamCount(), maxStreams, "streams", "transcoder.limits.max-streams");
    }

    /**
     * Refuses a decoded picture over the size limits: the header's size is only the first picture's, and a stream can
     * change size at any frame. {@code seconds} is where the picture comes in the source.
     */
    void checkPicture(int width, int height, double seconds) {
        String picture = String.format(Locale.ROOT, " (a %dx%d picture at %.1f s)", width, height, seconds);
        refuseOver("width", width, maxWidth, "pixels" + picture, "transcoder.limits.max-width");
        refuseOver("height", height, maxHeight, "pixels" + picture, "transcoder.limits.max-height");
        refuseOver("picture size", (long) width * height, maxPixels, "pixels" + picture,
                "transcoder.limits.max-pixels");
    }

    private static void refuseOver(String what, long value, long limit, String unit, String property) {
        if (value > limit) {
            throw new TranscodeFailure(FailureCode.TOO_LARGE, "The source's " + what + " of " + value + " " + unit
                    + " is over the limit of " + limit + " (" + property + ")");
        }
    }
}
