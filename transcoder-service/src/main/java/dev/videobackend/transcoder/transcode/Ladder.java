package dev.videobackend.transcoder.transcode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the rungs for one source: never above the source's height, plus a rung at the source's own height when
 * it falls between two configured rungs; widths keep the display aspect ratio and are even, as 4:2:0 wants.
 */
public final class Ladder {

    private final List<RungSpec> specs;

    public Ladder(List<RungSpec> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("The ladder needs at least one rung");
        }
        this.specs = specs.stream().sorted(Comparator.comparingInt(RungSpec::height).reversed()).toList();
    }

    public List<Rung> plan(SourceInfo source) {
        double aspect = source.displayWidth() / source.height();
        // Rounded down to even: rounding up would upscale by a line.
        int sourceHeight = source.height() & ~1;
        List<Rung> rungs = new ArrayList<>();
        boolean sourceHeightListed = specs.stream().anyMatch(spec -> spec.height() == sourceHeight);
        int tallest = specs.get(0).height();
        if (!sourceHeightListed && sourceHeight < tallest) {
            rungs.add(rung(sourceHeight, interpolatedBitrate(sourceHeight), aspect));
        }
        for (RungSpec spec : specs) {
            if (spec.height() <= sourceHeight) {
                rungs.add(rung(spec.height(), spec.videoBitrate(), aspect));
            }
        }
        return rungs;
    }

    private static Rung rung(int height, long bitrate, double aspect) {
        return new Rung(Math.max(2, even(height * aspect)), height, bitrate);
    }

    /** Bitrate at {@code height}, linear in pixel count between the neighbouring configured rungs. */
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
            return Math.round(above.videoBitrate() * Math.pow((double) height / above.height(), 2));
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
