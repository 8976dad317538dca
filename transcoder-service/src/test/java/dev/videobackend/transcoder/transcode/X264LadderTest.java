package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.SampleClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.videobackend.transcoder.transcode.LadderTranscoderTest.mkdir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ladder's rules with x264 ({@code transcoder.video.encoder=x264}), which only the GPL natives have: this runs
 * in a {@code -Pgpl} build and is skipped, saying so, in the default one.
 */
class X264LadderTest {

    private static final VideoEncoding X264 = new VideoEncoding(VideoEncoder.X264, VideoEncoding.X264Preset.VERYFAST,
            VideoEncoding.RateControl.FIXED, 23);

    @Test
    void writesTheSameLadderAsOpenH264WithX264(@TempDir Path directory) {
        assumeTrue(VideoEncoder.X264.available(),
                "These FFmpeg natives (the LGPL build) have no libx264: build with -Pgpl to run the x264 ladder");
        Path source = SampleClip.write(SampleClip.Spec.standard(2.5), directory.resolve("source.mp4"));
        double duration = FfmpegTools.probe(source).format().duration();

        LadderTranscoder.Result result = LadderTranscoderTest.transcoder(
                List.of("720:2800000", "360:800000", "240:400000", "144:200000"), X264)
                .transcode(source, mkdir(directory.resolve("out")), progress -> { });

        assertThat(result.renditions()).extracting(r -> r.rung().name()).containsExactly("360p", "240p", "144p");
        LadderChecks.assertRenditions(result, duration, 30);
        // A keyframe at every second (the tests' interval) and nowhere else, the same on every rung.
        assertThat(LadderChecks.assertKeyframesAligned(result)).containsExactly("0.000000", "1.000000", "2.000000");
        LadderChecks.assertMasterPlaylistListsWhatWasWritten(result);
        // Video and audio start together: no reordering delay moved the pictures.
        assertThat(FfmpegTools.packets(result.renditions().get(0).playlist(), "video").get(0).ptsTime()).isZero();
        assertThat(FfmpegTools.packets(result.audio().playlist(), "audio").get(0).ptsTime()).isZero();
        for (LadderTranscoder.Rendition rendition : result.renditions()) {
            // High profile, as CODECS says: read from the SPS x264 wrote.
            assertThat(rendition.codecs()).startsWith("avc1.64");
            long kilobits = rendition.rung().videoBitrate() / 1000;
            // x264 writes its settings into the stream: the preset's, no scene cuts, the rung's peak and buffer.
            assertThat(x264Settings(rendition.playlist().resolveSibling("segment-00001.m4s")))
                    .contains(" subme=2 ", " bframes=0 ", " scenecut=0 ", " keyint=30 ", " vbv_maxrate=" + kilobits * 3 / 2 + " ",
                            " vbv_bufsize=" + kilobits * 2 + " ", " rc=abr ", " bitrate=" + kilobits + " ");
        }
    }

    @Test
    void cappedCrfGivesSimpleContentFarFewerBitsThanTheRungs(@TempDir Path directory) {
        assumeTrue(VideoEncoder.X264.available(),
                "These FFmpeg natives (the LGPL build) have no libx264: build with -Pgpl to run the x264 ladder");
        // A slide: colour bars, a still picture.
        Path slide = GeneratedSources.ffmpeg(directory.resolve("slide.mkv"), "-f", "lavfi", "-i",
                "smptehdbars=size=1280x720:rate=30:duration=3", "-c:v", "ffv1");
        VideoEncoding cappedCrf = new VideoEncoding(VideoEncoder.X264, VideoEncoding.X264Preset.VERYFAST,
                VideoEncoding.RateControl.CAPPED_CRF, 23);

        LadderTranscoder.Result result = LadderTranscoderTest.transcoder(List.of("720:2800000", "360:800000"),
                cappedCrf).transcode(slide, mkdir(directory.resolve("out")), progress -> { });

        LadderChecks.assertRenditions(result, 3.0, 30);
        assertThat(LadderChecks.assertKeyframesAligned(result)).containsExactly("0.000000", "1.000000", "2.000000");
        // BANDWIDTH and AVERAGE-BANDWIDTH are what was written, not the rungs' bitrates.
        LadderChecks.assertMasterPlaylistListsWhatWasWritten(result);
        for (LadderTranscoder.Rendition rendition : result.renditions()) {
            long cap = rendition.rung().videoBitrate();
            assertThat(rendition.averageBitrate()).as("%s average", rendition.rung().name()).isLessThan(cap / 10);
            assertThat(rendition.peakBitrate()).as("%s peak", rendition.rung().name()).isLessThan(cap);
            assertThat(x264Settings(rendition.playlist().resolveSibling("segment-00001.m4s")))
                    .contains(" rc=crf ", " crf=23.0 ", " vbv_maxrate=" + cap / 1000 + " ",
                            " vbv_bufsize=" + cap / 1000 + " ");
        }
    }

    /** The options string of x264's version SEI, which it puts in its first picture. */
    private static String x264Settings(Path segment) {
        try {
            String bytes = new String(Files.readAllBytes(segment), StandardCharsets.ISO_8859_1);
            int start = bytes.indexOf("x264 - core");
            assertThat(start).as("x264's SEI in %s", segment).isNotNegative();
            return bytes.substring(start, bytes.indexOf('\0', start)) + " ";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
