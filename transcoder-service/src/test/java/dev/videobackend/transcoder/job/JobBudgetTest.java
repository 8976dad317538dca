package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.transcode.FrameRate;
import dev.videobackend.transcoder.transcode.Rung;
import dev.videobackend.transcoder.transcode.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's time budget follows the work it is asked: the pixels of every rung's frames at 20 megapixels per second
 * (the default, a third of the benchmark's pace), at least the 5-minute floor.
 */
class JobBudgetTest {

    private static final FrameRate SIXTY = new FrameRate(60, 1);
    private static final FrameRate THIRTY = new FrameRate(30, 1);
    /** The default ladder's rungs from 1080p down, for a 16:9 source. */
    private static final List<Rung> FROM_1080 = List.of(rung(1920, 1080), rung(1280, 720), rung(854, 480),
            rung(640, 360), rung(426, 240), rung(256, 144));

    /**
     * A small picture whose timestamps claim 5.8 hours (the shape of the 73 KB file of issue 11, at 320x240): its
     * budget was 10 min + 4 s per source second, 23.4 hours; it is now what its two small rungs cost.
     */
    @Test
    void aLongSmallSourceGetsWhatItsSmallRungsCost() {
        Workload workload = new Workload(20_880, SIXTY, List.of(rung(320, 240), rung(192, 144)));

        assertThat(workload.framesPerRung()).isEqualTo(1_252_800);
        // 1,252,800 frames x 104,448 pixels / 20 Mpx/s.
        assertThat(budget(workload)).isEqualTo(Duration.ofMillis(6_542_623));
    }

    /**
     * Four times the pixels of 1080p: 10 minutes of 4K had a budget of 50 minutes, shorter than the 83 minutes it
     * takes at the benchmark's pace (57 Mpx/s on two cores); it now gets three times that.
     */
    @Test
    void aLargePictureGetsTheTimeItsPixelsTake() {
        List<Rung> from2160 = new ArrayList<>(List.of(rung(3840, 2160), rung(2560, 1440)));
        from2160.addAll(FROM_1080);
        Workload workload = new Workload(600, THIRTY, from2160);

        // 18,000 frames x 15,755,424 pixels / 20 Mpx/s: 3 h 56 min.
        assertThat(budget(workload)).isEqualTo(Duration.ofMillis(14_179_882));
    }

    @Test
    void aShortClipGetsTheFloor() {
        Workload workload = new Workload(10, THIRTY, FROM_1080);

        // 300 frames x 3,774,624 pixels take 57 s at 20 Mpx/s: under the floor.
        assertThat(budget(workload)).isEqualTo(Duration.ofMinutes(5));
    }

    private static Duration budget(Workload workload) {
        JobRun run = new JobRun(UUID.randomUUID(), JobsConfig.PARTITION,
                new JobsConfig(Duration.ofMinutes(5), Duration.ofMinutes(1)));
        run.beginAttempt(1);
        run.plan(workload);
        return run.budget();
    }

    private static Rung rung(int width, int height) {
        return new Rung(Math.min(width, height), width, height, 1_000_000);
    }
}
