package dev.videobackend.transcoder.transcode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.videobackend.transcoder.transcode.GeneratedSources.ffmpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The storyboard a transcode writes, read back independently: the WebVTT track parsed here, the sprite sheets
 * decoded through the FFmpeg libraries ({@link JpegPicture}), on a source whose brightness steps every second.
 */
class StoryboardTest {

    private static final Pattern CUE = Pattern.compile(
            "(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})\\n"
                    + "(sprite-\\d{3}\\.jpg)#xywh=(\\d+),(\\d+),(\\d+),(\\d+)\\n");
    private static final double SECONDS = 9;
    /** A thumbnail a second, 3 x 2 per sheet: 9 thumbnails on two sheets, the second one half full. */
    private static final StoryboardSpec ONE_A_SECOND = new StoryboardSpec(true, 1, 1000, 160, 3, 2);

    record Cue(double start, double end, String sprite, int x, int y, int w, int h) {
    }

    @Test
    void cuesCoverTheSourceAtTheIntervalAndEachThumbnailIsThePictureAtItsTime(@TempDir Path directory)
            throws IOException {
        Path source = steppedBrightness(directory.resolve("steps.mp4"));
        Path out = Files.createDirectory(directory.resolve("out"));

        LadderTranscoder.Result result = LadderTranscoderTest.transcoder(List.of("360:800000", "144:200000"),
                VideoEncoding.OPENH264, ONE_A_SECOND).transcode(source, out, progress -> { });

        Storyboard storyboard = result.storyboard();
        assertThat(storyboard.vtt()).isEqualTo(out.resolve("storyboard.vtt"));
        assertThat(storyboard.sprites()).containsExactly(out.resolve("sprite-001.jpg"), out.resolve("sprite-002.jpg"));
        assertThat(storyboard.intervalSeconds()).isEqualTo(1.0);
        // From the 144p rung (256x144), the smallest at least a tile wide: 160 wide, 90 high by its aspect.
        assertThat(List.of(storyboard.tileWidth(), storyboard.tileHeight(), storyboard.thumbnails()))
                .containsExactly(160, 90, 9);

        List<Cue> cues = cues(storyboard.vtt());
        assertThat(cues).hasSize(9);
        for (int i = 0; i < cues.size(); i++) {
            Cue cue = cues.get(i);
            assertThat(cue.start()).isEqualTo(i);
            assertThat(cue.end()).isCloseTo(i + 1, within(0.05));
            assertThat(cue.sprite()).isEqualTo(i < 6 ? "sprite-001.jpg" : "sprite-002.jpg");
            assertThat(List.of(cue.x(), cue.y(), cue.w(), cue.h()))
                    .containsExactly(i % 3 * 160, i % 6 / 3 * 90, 160, 90);
        }
        assertThat(cues.get(cues.size() - 1).end()).isCloseTo(result.renditions().get(0).durationSeconds(),
                within(0.05));

        for (Path sprite : storyboard.sprites()) {
            JpegPicture sheet = JpegPicture.read(sprite);
            assertThat(sheet.codec()).isEqualTo("mjpeg");
            assertThat(List.of(sheet.width(), sheet.height())).containsExactly(480, 180);
        }
        for (int i = 0; i < cues.size(); i++) {
            Cue cue = cues.get(i);
            JpegPicture sheet = JpegPicture.read(out.resolve(cue.sprite()));
            assertThat(cue.x() + cue.w()).isLessThanOrEqualTo(sheet.width());
            assertThat(cue.y() + cue.h()).isLessThanOrEqualTo(sheet.height());
            // Thumbnail i is the picture at i s, whose brightness the source set at i s (not i - 1, nor i + 1: 23
            // levels apart in full range).
            assertThat(sheet.meanLuma(cue.x(), cue.y(), cue.w(), cue.h(), 8)).as("thumbnail %d", i)
                    .isCloseTo(fullRange(level(i)), within(8.0));
        }
        // The sheet's tiles past the last thumbnail are black.
        assertThat(JpegPicture.read(out.resolve("sprite-002.jpg")).meanLuma(0, 90, 480, 90, 8)).isLessThan(4);
    }

    @Test
    void noStoryboardWhenItIsOff(@TempDir Path directory) throws IOException {
        Path source = steppedBrightness(directory.resolve("steps.mp4"));
        Path out = Files.createDirectory(directory.resolve("out"));
        StoryboardSpec off = new StoryboardSpec(false, 2, 1000, 160, 10, 10);

        LadderTranscoder.Result result = LadderTranscoderTest.transcoder(List.of("144:200000"), VideoEncoding.OPENH264,
                off).transcode(source, out, progress -> { });

        assertThat(result.storyboard()).isNull();
        try (var files = Files.list(out)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".vtt") || name.startsWith("sprite-"));
        }
    }

    /**
     * 320x180 at 25 fps, grey levels stepping up every second, half a second before each whole second so that
     * the picture at i s is in the middle of step i whatever the rounding of timestamps.
     */
    private static Path steppedBrightness(Path target) {
        return ffmpeg(target, "-f", "lavfi", "-i",
                "color=c=black:size=320x180:rate=25:duration=" + SECONDS + ",format=yuv420p,"
                        + "geq=lum='20+20*floor(T+0.5)':cb=128:cr=128",
                "-c:v", "libopenh264", "-b:v", "1M");
    }

    /** The source's (limited-range) luma during second {@code i}. */
    private static int level(int i) {
        return 20 + 20 * i;
    }

    /** A limited-range luma in the full range JPEG uses. */
    private static double fullRange(int luma) {
        return (luma - 16) * 255.0 / 219;
    }

    private static List<Cue> cues(Path vtt) throws IOException {
        String text = Files.readString(vtt);
        assertThat(text).startsWith("WEBVTT\n");
        List<Cue> cues = new ArrayList<>();
        Matcher matcher = CUE.matcher(text);
        while (matcher.find()) {
            cues.add(new Cue(seconds(matcher, 1), seconds(matcher, 5), matcher.group(9),
                    Integer.parseInt(matcher.group(10)), Integer.parseInt(matcher.group(11)),
                    Integer.parseInt(matcher.group(12)), Integer.parseInt(matcher.group(13))));
        }
        return cues;
    }

    private static double seconds(Matcher matcher, int group) {
        return Integer.parseInt(matcher.group(group)) * 3600 + Integer.parseInt(matcher.group(group + 1)) * 60
                + Integer.parseInt(matcher.group(group + 2)) + Integer.parseInt(matcher.group(group + 3)) / 1000.0;
    }
}
