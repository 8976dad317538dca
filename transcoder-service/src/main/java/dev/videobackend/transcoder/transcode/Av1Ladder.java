package dev.videobackend.transcoder.transcode;

/**
 * The optional AV1 variants of the ladder (SVT-AV1): which rungs get one, at what share of the H.264 rung's
 * bitrate, at which SVT-AV1 preset. An AV1 variant is encoded from the same pictures as its H.264 rung, with the
 * same keyframes and segment boundaries, into {@code {rung}p-av1/}. See docs/ladder.md.
 *
 * @param largestRung the largest rung (shorter side) that gets an AV1 variant
 * @param preset SVT-AV1's speed preset: higher is faster and compresses less
 * @param bitrateRatio the AV1 variant's bitrate as a share of its H.264 rung's
 */
public record Av1Ladder(boolean enabled, int largestRung, int preset, double bitrateRatio) {

    /** No AV1 variants: the default. */
    public static final Av1Ladder OFF = new Av1Ladder(false, 720, 10, 0.6);

    /** SVT-AV1 3.x's fastest preset: it maps 11 to 13, which 2.x had, to 10. */
    public static final int MAX_PRESET = 10;

    static final String DIRECTORY_SUFFIX = "-av1";

    public Av1Ladder {
        if (preset < 0 || preset > MAX_PRESET) {
            throw new IllegalArgumentException("The SVT-AV1 preset is 0 to " + MAX_PRESET + ", got " + preset);
        }
        if (!(bitrateRatio > 0 && bitrateRatio <= 1)) {
            throw new IllegalArgumentException("The AV1 bitrate ratio is over 0 and at most 1, got " + bitrateRatio);
        }
    }

    /** Whether {@code rung} gets an AV1 variant. */
    boolean covers(Rung rung) {
        return enabled && rung.label() <= largestRung;
    }

    /** The AV1 variant of {@code rung}: the same size, a share of its bitrate. */
    Rung variantOf(Rung rung) {
        return new Rung(rung.label(), rung.width(), rung.height(),
                Math.max(10_000, Math.round(rung.videoBitrate() * bitrateRatio)));
    }

    /** Where the AV1 variant of {@code rung} is written, e.g. {@code 720p-av1}. */
    static String directoryName(Rung rung) {
        return rung.name() + DIRECTORY_SUFFIX;
    }
}
