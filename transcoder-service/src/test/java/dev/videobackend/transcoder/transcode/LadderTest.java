package dev.videobackend.transcoder.transcode;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LadderTest {

    private static final Ladder DEFAULT = new Ladder(List.of(
            RungSpec.parse("1080:5000000"), RungSpec.parse("720:2800000"), RungSpec.parse("480:1400000"),
            RungSpec.parse("360:800000"), RungSpec.parse("240:400000"), RungSpec.parse("144:200000")));

    @Test
    void neverUpscalesAndKeepsTheAspectRatioWithEvenWidths() {
        assertThat(DEFAULT.plan(source(1920, 1080, 1, 1))).containsExactly(
                new Rung(1920, 1080, 5_000_000), new Rung(1280, 720, 2_800_000), new Rung(854, 480, 1_400_000),
                new Rung(640, 360, 800_000), new Rung(426, 240, 400_000), new Rung(256, 144, 200_000));
        assertThat(DEFAULT.plan(source(640, 360, 1, 1))).extracting(Rung::height).containsExactly(360, 240, 144);
    }

    @Test
    void addsARungAtTheSourceHeightWhenItLiesBetweenRungs() {
        List<Rung> rungs = DEFAULT.plan(source(1000, 600, 1, 1));

        assertThat(rungs).extracting(Rung::height).containsExactly(600, 480, 360, 240, 144);
        assertThat(rungs.get(0).width()).isEqualTo(1000);
        assertThat(rungs.get(0).videoBitrate()).isBetween(1_400_000L, 2_800_000L);
    }

    @Test
    void makesNonSquarePixelsSquare() {
        // DVD PAL 16:9: 720x576 with pixels 64:45 wide shows as 1024x576.
        assertThat(DEFAULT.plan(source(720, 576, 64, 45)).get(0)).isEqualTo(new Rung(1024, 576, rungsBitrate(576)));
    }

    @Test
    void roundsOddSourceHeightsDownToEven() {
        assertThat(DEFAULT.plan(source(641, 361, 1, 1)).get(0).height()).isEqualTo(360);
    }

    @Test
    void refusesBadRungs() {
        assertThatThrownBy(() -> RungSpec.parse("721:100000")).hasMessageContaining("even");
        assertThatThrownBy(() -> RungSpec.parse("720")).hasMessageContaining("height:bitrate");
        assertThatThrownBy(() -> RungSpec.parse("720:fast")).hasMessageContaining("whole numbers");
    }

    private static long rungsBitrate(int height) {
        return DEFAULT.plan(source(height * 16 / 9 / 2 * 2, height, 1, 1)).get(0).videoBitrate();
    }

    private static SourceInfo source(int width, int height, int sarNum, int sarDen) {
        return new SourceInfo("mov,mp4,m4a,3gp,3g2,mj2", 10, width, height, sarNum, sarDen, 30, "h264", "yuv420p", "aac");
    }
}
