package dev.videobackend.transcoder.transcode;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LadderTest {

    private static final Ladder DEFAULT = new Ladder(List.of(
            RungSpec.parse("2160:16000000"), RungSpec.parse("1440:9000000"),
            RungSpec.parse("1080:5000000"), RungSpec.parse("720:2800000"), RungSpec.parse("480:1400000"),
            RungSpec.parse("360:800000"), RungSpec.parse("240:400000"), RungSpec.parse("144:200000")));
    private static final FrameRate THIRTY = new FrameRate(30, 1);

    @Test
    void neverUpscalesAndKeepsTheAspectRatioWithEvenWidths() {
        assertThat(DEFAULT.plan(source(1920, 1080, 1, 1, 0), THIRTY)).containsExactly(
                new Rung(1080, 1920, 1080, 5_000_000), new Rung(720, 1280, 720, 2_800_000),
                new Rung(480, 854, 480, 1_400_000), new Rung(360, 640, 360, 800_000),
                new Rung(240, 426, 240, 400_000), new Rung(144, 256, 144, 200_000));
        assertThat(DEFAULT.plan(source(640, 360, 1, 1, 0), THIRTY)).extracting(Rung::height)
                .containsExactly(360, 240, 144);
        assertThat(DEFAULT.plan(source(3840, 2160, 1, 1, 0), THIRTY)).extracting(Rung::label)
                .containsExactly(2160, 1440, 1080, 720, 480, 360, 240, 144);
    }

    @Test
    void addsARungAtTheSourceHeightWhenItLiesBetweenRungs() {
        List<Rung> rungs = DEFAULT.plan(source(1000, 600, 1, 1, 0), THIRTY);

        assertThat(rungs).extracting(Rung::height).containsExactly(600, 480, 360, 240, 144);
        assertThat(rungs.get(0).width()).isEqualTo(1000);
        assertThat(rungs.get(0).videoBitrate()).isBetween(1_400_000L, 2_800_000L);
    }

    @Test
    void makesNonSquarePixelsSquare() {
        // DVD PAL 16:9: 720x576 with pixels 64:45 wide shows as 1024x576.
        assertThat(DEFAULT.plan(source(720, 576, 64, 45, 0), THIRTY).get(0))
                .isEqualTo(new Rung(576, 1024, 576, rungsBitrate(576)));
    }

    @Test
    void turnsPortraitVideoUprightAndNamesRungsByTheShorterSide() {
        // A phone's 1920x1080 picture with a quarter-turn display matrix is a portrait 1080x1920 video.
        List<Rung> rungs = DEFAULT.plan(source(1920, 1080, 1, 1, 90), THIRTY);

        assertThat(rungs.get(0)).isEqualTo(new Rung(1080, 1080, 1920, 5_000_000));
        assertThat(rungs.get(1)).isEqualTo(new Rung(720, 720, 1280, 2_800_000));
        assertThat(rungs).allSatisfy(rung -> assertThat(rung.height()).isGreaterThan(rung.width()));
        assertThat(DEFAULT.plan(source(1920, 1080, 1, 1, 180), THIRTY).get(0))
                .isEqualTo(new Rung(1080, 1920, 1080, 5_000_000));
    }

    @Test
    void roundsOddSourceSizesDownToEven() {
        assertThat(DEFAULT.plan(source(641, 361, 1, 1, 0), THIRTY).get(0).height()).isEqualTo(360);
        assertThat(DEFAULT.plan(source(641, 359, 1, 1, 0), THIRTY).get(0)).satisfies(rung -> {
            assertThat(rung.height()).isEqualTo(358);
            assertThat(rung.width()).isEqualTo(640);
        });
    }

    @Test
    void scalesBitratesForFrameRatesOverThirty() {
        assertThat(DEFAULT.plan(source(1280, 720, 1, 1, 0), new FrameRate(60, 1)).get(0).videoBitrate())
                .isEqualTo(4_200_000);
        assertThat(DEFAULT.plan(source(1280, 720, 1, 1, 0), new FrameRate(25, 1)).get(0).videoBitrate())
                .isEqualTo(2_800_000);
    }

    @Test
    void capsTheFrameRateAtSixtyAndKeepsBroadcastRates() {
        assertThat(FrameRate.forRenditions(120)).isEqualTo(new FrameRate(60, 1));
        assertThat(FrameRate.forRenditions(100)).isEqualTo(new FrameRate(50, 1));
        assertThat(FrameRate.forRenditions(240)).isEqualTo(new FrameRate(60, 1));
        assertThat(FrameRate.forRenditions(30000.0 / 1001)).isEqualTo(new FrameRate(30000, 1001));
        assertThat(FrameRate.forRenditions(59.94)).isEqualTo(new FrameRate(60000, 1001));
        assertThat(FrameRate.forRenditions(27.4)).isEqualTo(new FrameRate(27, 1));
        assertThat(FrameRate.forRenditions(0)).isEqualTo(new FrameRate(30, 1));
    }

    @Test
    void refusesBadRungs() {
        assertThatThrownBy(() -> RungSpec.parse("721:100000")).hasMessageContaining("even");
        assertThatThrownBy(() -> RungSpec.parse("720")).hasMessageContaining("height:bitrate");
        assertThatThrownBy(() -> RungSpec.parse("720:fast")).hasMessageContaining("whole numbers");
    }

    private static long rungsBitrate(int height) {
        return DEFAULT.plan(source(height * 16 / 9 / 2 * 2, height, 1, 1, 0), THIRTY).get(0).videoBitrate();
    }

    static SourceInfo source(int width, int height, int sarNum, int sarDen, int rotation) {
        return new SourceInfo("mov,mp4,m4a,3gp,3g2,mj2", 10, width, height, sarNum, sarDen, 30, "h264", "yuv420p",
                "aac", rotation, false, false, "stereo", 2);
    }
}
