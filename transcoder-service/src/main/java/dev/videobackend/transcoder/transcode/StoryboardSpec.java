package dev.videobackend.transcoder.transcode;

import java.util.List;

/**
 * How storyboards (scrubbing thumbnails) are made, from the service configuration: one thumbnail every
 * {@code intervalSeconds}, or fewer on a long source so that there are at most {@code maxThumbnails}, each
 * {@code tileWidth} pixels wide, {@code columns} x {@code rows} of them per JPEG sprite sheet. See docs/ladder.md.
 */
public record StoryboardSpec(boolean enabled, double intervalSeconds, int maxThumbnails, int tileWidth, int columns,
        int rows) {

    /** The service's defaults (TranscoderConfig): a 160 px thumbnail every 2 s, at most 1000, 10 x 10 per sheet. */
    public static final StoryboardSpec DEFAULT = new StoryboardSpec(true, 2, 1000, 160, 10, 10);

    public StoryboardSpec {
        if (!(intervalSeconds > 0) || maxThumbnails < 1 || tileWidth < 16 || columns < 1 || rows < 1) {
            throw new IllegalArgumentException("Not a storyboard: every " + intervalSeconds + " s, at most "
                    + maxThumbnails + ", " + tileWidth + " px wide, " + columns + "x" + rows + " per sheet");
        }
    }

    /**
     * The storyboard of a source of {@code durationSeconds} (0 when unknown) at {@code frameRate}, taken from one
     * of the {@code rungs} (largest first); {@code null} when storyboards are off.
     */
    StoryboardPlan plan(double durationSeconds, FrameRate frameRate, List<Rung> rungs) {
        if (!enabled) {
            return null;
        }
        double interval = Math.max(intervalSeconds, durationSeconds / maxThumbnails);
        // A whole number of the renditions' frames: thumbnail i is exactly frame i * framesPerThumbnail.
        int framesPerThumbnail = (int) Math.max(1, Math.round(interval * frameRate.value()));
        // The smallest rung at least as wide as a tile: the fewest pixels to scale down from.
        int rung = 0;
        for (int i = rungs.size() - 1; i >= 0; i--) {
            if (rungs.get(i).width() >= tileWidth) {
                rung = i;
                break;
            }
        }
        Rung from = rungs.get(rung);
        int width = even(Math.min(tileWidth, from.width()));
        int height = even((double) width * from.height() / from.width());
        return new StoryboardPlan(rung, width, height, columns, rows, framesPerThumbnail, frameRate);
    }

    private static int even(double value) {
        return Math.max(2, 2 * (int) Math.round(value / 2));
    }
}
