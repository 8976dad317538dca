package dev.videobackend.transcoder.transcode;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VideoFiltersTest {

    private static final List<Rung> RUNGS = List.of(new Rung(1080, 1080, 1920, 5_000_000),
            new Rung(720, 720, 1280, 2_800_000), new Rung(360, 360, 640, 800_000));

    @Test
    void normalisesOnceThenScalesEachRungFromTheNextLarger() {
        SourceInfo phone = new SourceInfo("mov,mp4,m4a,3gp,3g2,mj2", 10, 1920, 1080, 1, 1, 59.94, "hevc",
                "yuv420p10le", "aac", 90, true, false, "stereo", 2);

        String graph = new VideoFilters(phone, new FrameRate(60000, 1001), RUNGS, 1, 1.0, null).describe();

        assertThat(graph).startsWith("[in]scale=w=1920:h=1080:interl=1,bwdif=mode=send_frame:parity=auto:deint=all,"
                + "fps=fps=60000/1001,"
                + "scale=w=1920:h=1080:flags=bicubic,format=yuv420p,transpose=clock,setsar=1[t0]");
        assertThat(graph).contains("[t0]split=2[out0][c0]", "[c0]scale=w=720:h=1280:flags=bicubic,setsar=1[t1]",
                "[t1]split=3[out1][c1][p]", "[c1]scale=w=360:h=640:flags=bicubic,setsar=1[t2]", "[t2]split=1[out2]",
                "[pa]select='gte(t-start_t,1.000)',trim=end_frame=1,scale=out_range=full,format=yuv420p[out3]",
                "[pb]trim=end_frame=1,scale=out_range=full,format=yuv420p[out4]");
    }

    @Test
    void theStoryboardBranchSelectsBeforeItScalesAndTilesTheSheets() {
        SourceInfo landscape = new SourceInfo("mov,mp4,m4a,3gp,3g2,mj2", 10, 1920, 1080, 1, 1, 30, "h264",
                "yuv420p", "aac", 0, false, false, "stereo", 2);
        List<Rung> rungs = List.of(new Rung(1080, 1920, 1080, 5_000_000), new Rung(360, 640, 360, 800_000));
        StoryboardPlan plan = StoryboardSpec.DEFAULT.plan(10, new FrameRate(30, 1), rungs);

        VideoFilters filters = new VideoFilters(landscape, new FrameRate(30, 1), rungs, 0, 1.0, plan);

        assertThat(filters.outputs()).isEqualTo(5);
        assertThat(filters.storyboardOutput()).isEqualTo(4);
        assertThat(filters.describe()).contains("[t1]split=2[out1][s]",
                "[s]select='not(mod(n,60))',scale=w=160:h=90:flags=bicubic:out_range=full,format=yuv420p,"
                        + "tile=layout=10x10:padding=0:margin=0:color=black[out4]");
    }
}
