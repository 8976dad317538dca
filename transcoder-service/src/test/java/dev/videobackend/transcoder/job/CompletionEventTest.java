package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.EventJson;
import dev.videobackend.transcoder.events.TranscodeCompleted;
import dev.videobackend.transcoder.events.TranscodeRequested;
import dev.videobackend.transcoder.transcode.LadderTranscoder;
import dev.videobackend.transcoder.transcode.Rung;
import dev.videobackend.transcoder.transcode.SourceInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The completion event built from a transcode's result: the AV1 variants go to the optional av1Renditions. */
class CompletionEventTest {

    private static final Path STAGING = Path.of("/media/.staging/job");
    private static final Path PUBLISHED = Path.of("renditions/video/job");

    @Test
    void listsTheAv1VariantsApartFromTheH264Rungs() {
        TranscodeCompleted event = build(List.of(rendition("480p-av1", "av01.0.04M.08")));

        assertThat(event.renditions()).extracting(TranscodeCompleted.Rendition::videoCodec).containsExactly("h264");
        assertThat(event.av1Renditions()).singleElement().satisfies(av1 -> {
            assertThat(av1.videoCodec()).isEqualTo("av1");
            assertThat(av1.codecs()).isEqualTo("av01.0.04M.08");
            assertThat(av1.height()).isEqualTo(480);
            assertThat(av1.path()).isEqualTo("renditions/video/job/480p-av1/playlist.m3u8");
        });
        assertThat(EventJson.write(event)).contains("\"av1Renditions\"");
    }

    @Test
    void leavesTheFieldOutWithoutAv1() {
        TranscodeCompleted event = build(List.of());

        assertThat(event.av1Renditions()).isNull();
        assertThat(EventJson.write(event)).doesNotContain("av1Renditions");
    }

    private static TranscodeCompleted build(List<LadderTranscoder.Rendition> av1) {
        SourceInfo source = new SourceInfo("mov", 10, 854, 480, 1, 1, 30, "h264", "yuv420p", "aac", 0, false, false,
                "stereo", 2);
        LadderTranscoder.Result result = new LadderTranscoder.Result(source, STAGING.resolve("master.m3u8"),
                List.of(rendition("480p", "avc1.64001e")), null,
                new LadderTranscoder.Poster(STAGING.resolve("poster.jpg"), 854, 480),
                new LadderTranscoder.Progressive(STAGING.resolve("progressive.mp4"), 854, 480, false, 900_000,
                        1_125_000, 10),
                null, av1);
        TranscodeRequested request = new TranscodeRequested(UUID.randomUUID(), "TranscodeRequested", 1,
                UUID.randomUUID(), UUID.randomUUID(), Instant.now(),
                new TranscodeRequested.Source("sources/video", 1000));
        return new CompletionEvent(STAGING, PUBLISHED).build(request, result, 7.5, 1);
    }

    private static LadderTranscoder.Rendition rendition(String directory, String codecs) {
        return new LadderTranscoder.Rendition(new Rung(480, 854, 480, 1_400_000),
                STAGING.resolve(directory).resolve("playlist.m3u8"), codecs, 30, 1_500_000, 1_300_000, 1_600_000, 10);
    }
}
