package dev.videobackend.transcoder.transcode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the rungs for one source. Rungs are named by their shorter side (a rung "height" in the configuration),
 * so that a portrait phone video gets portrait renditions of the same pixel counts and bitrates as a landscape
 * one: never above the source's shorter side, plus a rung at the source's own size when it falls between two
 * configured rungs; sizes keep the display aspect ratio (square pixels, rotation applied) and are even, as 4:2:0
 * wants; bitrates grow with the frame rate above 30.
 */
public final class Ladder {

    private static final double REFERENCE_FRAME_RATE = 30;
    /** A 60 fps rendition gets 1.5 times the bitrate of a 30 fps one: motion compensation shares most bits. */
    private static final double EXTRA_BITRATE_AT_DOUBLE_RATE = 0.5;

    private final List<RungSpec> specs;

    public Ladder(List<RungSpec> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("The ladder needs at least one rung");
        }
        this.specs = specs.stream().sorted(Comparator.comparingInt(RungSpec::height).reversed()).toList();
    }

    /** The rungs for {@code source}, largest first, encoded at {@code frameRate}. */
    public List<Rung> plan(SourceInfo source, FrameRate frameRate) {
        double shortSide = Math.min(source.displayWidth(), source.displayHeight());
        double longSide = Math.max(source.displayWidth(), source.displayHeight());
        boolean portrait = source.displayHeight() > source.displayWidth();
        // Rounded down to even: rounding up would upscale by a line.
        int sourceLabel = Math.max(2, ((int) Math.floor(shortSide)) & ~1);
        double bitrateFactor = bitrateFactor(frameRate);
        List<Rung> rungs = new ArrayList<>();
        boolean sourceListed = specs.stream().anyMatch(spec -> spec.height() == sourceLabel);
        if (!sourceListed && sourceLabel < specs.get(0).height()) {
            rungs.add(rung(sourceLabel, interpolatedBitrate(sourceLabel), shortSide, longSide, portrait, bitrateFactor));
        }
        for (RungSpec spec : specs) {
            if (spec.height() <= sourceLabel) {
                rungs.add(rung(spec.height(), spec.videoBitrate(), shortSide, longSide, portrait, bitrateFactor));
            }
        }
        return rungs;
    }

    private static double bitrateFactor(FrameRate frameRate) {
        double rate = Math.min(frameRate.value(), FrameRate.MAX);
        return rate <= REFERENCE_FRAME_RATE ? 1
                : 1 + EXTRA_BITRATE_AT_DOUBLE_RATE * (rate - REFERENCE_FRAME_RATE) / REFERENCE_FRAME_RATE;
    }

    private static Rung rung(int label, long bitrate, double shortSide, double longSide, boolean portrait,
            double bitrateFactor) {
        int longOut = Math.max(2, even(longSide * label / shortSide));
        long scaledBitrate = Math.round(bitrate * bitrateFactor);
        return portrait ? new Rung(label, label, longOut, scaledBitrate) : new Rung(label, longOut, label, scaledBitrate);
    }

    /** Bitrate at {@code height}, below the tallest rung: linear in pixel count between the neighbouring configured rungs. */
    private long interpolatedBitrate(int height) {
        RungSpec above = null;
        RungSpec below = null;
        for (RungSpec spec : specs) {
            if (spec.height() > height) {
                above = spec;
            } else if (below == null) {
                below = spec;
            }
        }
        if (below == null) {
            return Math.max(10_000, Math.round(above.videoBitrate() * Math.pow((double) height / above.height(), 2)));
        }
        double abovePixels = Math.pow(above.height(), 2);
        double belowPixels = Math.pow(below.height(), 2);
        double share = (Math.pow(height, 2) - belowPixels) / (abovePixels - belowPixels);
        return Math.round(below.videoBitrate() + share * (above.videoBitrate() - below.videoBitrate()));
    }

    private static int even(double value) {
        return (int) Math.round(value / 2) * 2;
    }
}
