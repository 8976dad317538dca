package dev.videobackend.transcoder.transcode;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoryboardSpecTest {

    private static final List<Rung> LANDSCAPE = List.of(new Rung(720, 1280, 720, 2_800_000),
            new Rung(360, 640, 360, 800_000), new Rung(144, 256, 144, 200_000));

    @Test
    void aThumbnailEveryTwoSecondsFromTheSmallestRungAtLeastATileWide() {
        StoryboardPlan plan = StoryboardSpec.DEFAULT.plan(600, new FrameRate(30, 1), LANDSCAPE);

        assertThat(plan).isEqualTo(new StoryboardPlan(2, 160, 90, 10, 10, 60, new FrameRate(30, 1)));
        assertThat(plan.intervalSeconds()).isEqualTo(2.0);
        assertThat(plan.secondsOf(3)).isEqualTo(6.0);
    }

    @Test
    void aLongSourceGetsALongerIntervalSoThatThumbnailsStayBounded() {
        StoryboardPlan plan = StoryboardSpec.DEFAULT.plan(6 * 3600, new FrameRate(25, 1), LANDSCAPE);

        assertThat(plan.intervalSeconds()).isEqualTo(21.6);
        assertThat(plan.framesPerThumbnail()).isEqualTo(540);
    }

    @Test
    void theIntervalIsAWholeNumberOfFrames() {
        StoryboardPlan plan = StoryboardSpec.DEFAULT.plan(60, new FrameRate(30000, 1001), LANDSCAPE);

        assertThat(plan.framesPerThumbnail()).isEqualTo(60);
        assertThat(plan.intervalSeconds()).isEqualTo(2.002);
    }

    @Test
    void portraitTilesAreTallAndEvenAndNeverWiderThanTheLargestRung() {
        List<Rung> portrait = List.of(new Rung(360, 360, 640, 800_000), new Rung(144, 144, 256, 200_000));
        assertThat(StoryboardSpec.DEFAULT.plan(10, new FrameRate(30, 1), portrait))
                .extracting(StoryboardPlan::rung, StoryboardPlan::tileWidth, StoryboardPlan::tileHeight)
                .containsExactly(0, 160, 284);

        List<Rung> tiny = List.of(new Rung(72, 128, 72, 100_000));
        assertThat(StoryboardSpec.DEFAULT.plan(10, new FrameRate(30, 1), tiny))
                .extracting(StoryboardPlan::tileWidth, StoryboardPlan::tileHeight).containsExactly(128, 72);
    }

    @Test
    void offMeansNoPlanAndNonsenseIsRefused() {
        assertThat(new StoryboardSpec(false, 2, 1000, 160, 10, 10).plan(10, new FrameRate(30, 1), LANDSCAPE)).isNull();
        assertThatThrownBy(() -> new StoryboardSpec(true, 0, 1000, 160, 10, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
