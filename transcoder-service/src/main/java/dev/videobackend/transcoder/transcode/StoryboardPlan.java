package dev.videobackend.transcoder.transcode;

import java.util.Locale;

/**
 * One source's storyboard: every {@code framesPerThumbnail}-th picture of rung {@code rung}, scaled to a
 * {@code tileWidth} x {@code tileHeight} tile and laid out {@code columns} x {@code rows} per sprite sheet.
 */
record StoryboardPlan(int rung, int tileWidth, int tileHeight, int columns, int rows, int framesPerThumbnail,
        FrameRate frameRate) {

    int tilesPerSheet() {
        return columns * rows;
    }

    int sheetWidth() {
        return columns * tileWidth;
    }

    int sheetHeight() {
        return rows * tileHeight;
    }

    double intervalSeconds() {
        return secondsOf(1);
    }

    /** When thumbnail {@code index} was taken, from the first picture: exact, as the renditions' rate is constant. */
    double secondsOf(int index) {
        return (double) index * framesPerThumbnail * frameRate.den() / frameRate.num();
    }

    /**
     * The filter chain from the rung's pictures to sprite sheets: only the pictures taken are scaled (select
     * first), to full-range 4:2:0 for the JPEG encoder; {@code tile} lays them out and, at the end of the source,
     * sends the last sheet with its empty tiles black.
     */
    String filters() {
        return String.format(Locale.ROOT, "select='not(mod(n,%d))',scale=w=%d:h=%d:flags=bicubic:out_range=full,"
                + "format=yuv420p,tile=layout=%dx%d:padding=0:margin=0:color=black",
                framesPerThumbnail, tileWidth, tileHeight, columns, rows);
    }
}
