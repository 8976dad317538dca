package dev.videobackend.transcoder.transcode;

import java.nio.file.Path;
import java.util.List;

/**
 * The storyboard written: a WebVTT track whose cues point into JPEG sprite sheets
 * ({@code sprite-001.jpg#xywh=x,y,w,h}), one thumbnail every {@code intervalSeconds} from the first picture.
 * Every sheet is {@code columns * tileWidth} x {@code rows * tileHeight}; the last one's unused tiles are black.
 */
public record Storyboard(Path vtt, List<Path> sprites, double intervalSeconds, int tileWidth, int tileHeight,
        int columns, int rows, int thumbnails) {

    public int sheetWidth() {
        return columns * tileWidth;
    }

    public int sheetHeight() {
        return rows * tileHeight;
    }
}
