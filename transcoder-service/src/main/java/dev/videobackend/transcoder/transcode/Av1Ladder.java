package dev.videobackend.transcoder.transcode;

/**
 * The optional AV1 variants of the ladder (SVT-AV1): which rungs get one, at what share of the H.264 rung's
 * bitrate, at which SVT-AV1 preset. An AV1 variant is encoded from the same pictures as its H.264 rung, with the
 * same keyframes and segment boundaries, into {@code {rung}p-av1/}. See docs/ladder.md.
 *
 * @param largestRung the largest rung (shorter side) that gets an AV1 variant
 * @param preset SVT-AV1's speed preset: higher is faster and compresses less
 * @param bitrateRatio the AV1 variant's bitrate as a share of its H.264 rung's
 * @param levelOfParallelism SVT-AV1's {@code lp}, 1 to {@value #MAX_LEVEL_OF_PARALLELISM}: its threads and, with
 *        them, its picture buffers; 0 lets SVT-AV1 pick from the machine's cores
 * @param lookahead SVT-AV1's {@code lookahead} in frames, 0 to {@value #MAX_LOOKAHEAD}, or {@link #SVT_DEFAULT}
 *        to leave it to SVT-AV1
 */
public record Av1Ladder(boolean enabled, int largestRung, int preset, double bitrateRatio, int levelOfParallelism,
        int lookahead) {

    /** No AV1 variants: the default. */
    public static final Av1Ladder OFF = new Av1Ladder(false, 720, 10, 0.6);

    /** SVT-AV1 3.x's fastest preset: it maps 11 to 13, which 2.x had, to 10. */
    public static final int MAX_PRESET = 10;

    /** SVT-AV1 3.x's levels of parallelism are 0 (its own pick) to 6. */
    public static final int MAX_LEVEL_OF_PARALLELISM = 6;

    /** SVT-AV1 refuses a longer lookahead. */
    public static final int MAX_LOOKAHEAD = 120;

    /** {@link #lookahead()}: SVT-AV1's own default. */
    public static final int SVT_DEFAULT = -1;

    /**
     * The service's default memory settings, level of parallelism 1 and no lookahead: half of SVT-AV1's picture
     * buffers for little quality (measured in docs/benchmarks.md, "AV1's memory").
     */
    public static final int DEFAULT_LEVEL_OF_PARALLELISM = 1;
    public static final int DEFAULT_LOOKAHEAD = 0;

    static final String DIRECTORY_SUFFIX = "-av1";

    public Av1Ladder {
        if (preset < 0 || preset > MAX_PRESET) {
            throw new IllegalArgumentException("The SVT-AV1 preset is 0 to " + MAX_PRESET + ", got " + preset);
        }
        if (!(bitrateRatio > 0 && bitrateRatio <= 1)) {
            throw new IllegalArgumentException("The AV1 bitrate ratio is over 0 and at most 1, got " + bitrateRatio);
        }
        if (levelOfParallelism < 0 || levelOfParallelism > MAX_LEVEL_OF_PARALLELISM) {
            throw new IllegalArgumentException("SVT-AV1's level of parallelism is 0 to " + MAX_LEVEL_OF_PARALLELISM
                    + ", got " + levelOfParallelism);
        }
        if (lookahead < SVT_DEFAULT || lookahead > MAX_LOOKAHEAD) {
            throw new IllegalArgumentException("SVT-AV1's lookahead is 0 to " + MAX_LOOKAHEAD + " frames (or "
                    + SVT_DEFAULT + " for its default), got " + lookahead);
        }
    }

    /** With the service's default memory settings. */
    public Av1Ladder(boolean enabled, int largestRung, int preset, double bitrateRatio) {
        this(enabled, largestRung, preset, bitrateRatio, DEFAULT_LEVEL_OF_PARALLELISM, DEFAULT_LOOKAHEAD);
    }

    /** SVT-AV1's own parameters ({@code svtav1-params}) for these settings; empty where SVT-AV1 decides. */
    String svtParams() {
        StringBuilder params = new StringBuilder();
        if (levelOfParallelism > 0) {
            params.append("lp=").append(levelOfParallelism);
        }
        if (lookahead != SVT_DEFAULT) {
            params.append(params.isEmpty() ? "" : ":").append("lookahead=").append(lookahead);
        }
        return params.toString();
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
