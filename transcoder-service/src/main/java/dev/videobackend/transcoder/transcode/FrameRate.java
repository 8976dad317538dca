package dev.videobackend.transcoder.transcode;

import java.util.Comparator;
import java.util.List;

/** A frame rate as a fraction, e.g. 30000/1001. */
public record FrameRate(int num, int den) {

    /** The highest frame rate the renditions have. */
    public static final double MAX = 60;
    private static final double SNAP_TOLERANCE = 0.005;
    private static final FrameRate FALLBACK = new FrameRate(30, 1);
    private static final List<FrameRate> STANDARD = List.of(new FrameRate(24000, 1001), new FrameRate(24, 1),
            new FrameRate(25, 1), new FrameRate(30000, 1001), new FrameRate(30, 1), new FrameRate(48, 1),
            new FrameRate(50, 1), new FrameRate(60000, 1001), new FrameRate(60, 1));

    public FrameRate {
        if (num <= 0 || den <= 0) {
            throw new IllegalArgumentException("A frame rate must be positive: " + num + "/" + den);
        }
    }

    public double value() {
        return (double) num / den;
    }

    /**
     * The constant rate of the renditions of a source with this average rate: over 60 it is divided by the smallest
     * whole number that brings it to 60 or below (120 gives 60, 100 gives 50), so that frames are dropped evenly;
     * then snapped to the nearest broadcast rate when within half a percent of one (29.97 stays 30000/1001), else rounded to a whole number.
     */
    public static FrameRate forRenditions(double sourceRate) {
        if (!(sourceRate > 0) || Double.isInfinite(sourceRate)) {
            return FALLBACK;
        }
        double rate = sourceRate / Math.ceil(sourceRate / MAX - 1e-9);
        double target = rate;
        return STANDARD.stream()
                .filter(standard -> Math.abs(target - standard.value()) / standard.value() < SNAP_TOLERANCE)
                .min(Comparator.comparingDouble(standard -> Math.abs(target - standard.value())))
                .orElse(new FrameRate((int) Math.max(1, Math.round(rate)), 1));
    }
}
