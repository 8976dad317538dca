package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.DecodeCheck;
import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.MediaInfo;
import dev.videobackend.infra.media.SampleClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.videobackend.transcoder.transcode.LadderTranscoderTest.ALLOWED;
import static dev.videobackend.transcoder.transcode.LadderTranscoderTest.DECODERS;
import static dev.videobackend.transcoder.transcode.LadderTranscoderTest.LIMITS;
import static dev.videobackend.transcoder.transcode.LadderTranscoderTest.mkdir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The optional AV1 variants (SVT-AV1, in both builds): encoded from the same pictures as their H.264 rungs, with the
 * same keyframes and segments, listed in the master playlist with their measured bitrates and the {@code av01}
 * codec string of what was written; the H.264 ladder is what it is without them.
 */
class Av1LadderTest {

    @Test
    void addsAv1VariantsAlignedWithTheH264Rungs(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(2.5), directory.resolve("source.mp4"));
        double duration = FfmpegTools.probe(source).format().duration();
        Av1Ladder av1 = new Av1Ladder(true, 240, 10, 0.6);
        LadderTranscoder transcoder = new LadderTranscoder(new LadderTranscoder.Settings(
                new Ladder(List.of("720:2800000", "360:800000", "240:400000", "144:200000").stream()
                        .map(RungSpec::parse).toList()),
                ALLOWED, DECODERS, 1.0, 128_000, 0, LIMITS, VideoEncoding.OPENH264, av1, StoryboardSpec.DEFAULT));

        LadderTranscoder.Result result = transcoder.transcode(source, mkdir(directory.resolve("out")), progress -> { });

        // The H.264 ladder keeps its rules.
        assertThat(result.renditions()).extracting(r -> r.rung().name()).containsExactly("360p", "240p", "144p");
        LadderChecks.assertRenditions(result, duration, 30);
        List<String> keyframes = LadderChecks.assertKeyframesAligned(result);
        assertThat(keyframes).containsExactly("0.000000", "1.000000", "2.000000");
        LadderChecks.assertMasterPlaylistListsWhatWasWritten(result);

        // Rungs at or below 240p get an AV1 variant, at 0.6 of the rung's bitrate.
        assertThat(result.av1Renditions()).extracting(r -> r.playlist().getParent().getFileName().toString())
                .containsExactly("240p-av1", "144p-av1");
        for (LadderTranscoder.Rendition variant : result.av1Renditions()) {
            LadderTranscoder.Rendition h264 = result.renditions().stream()
                    .filter(r -> r.rung().label() == variant.rung().label()).findFirst().orElseThrow();
            assertThat(variant.rung().videoBitrate()).isEqualTo(Math.round(h264.rung().videoBitrate() * 0.6));
            MediaInfo info = FfmpegTools.probe(variant.playlist());
            MediaInfo.Stream video = info.video().orElseThrow();
            assertThat(video.codecName()).isEqualTo("av1");
            assertThat(video.pixelFormat()).isEqualTo("yuv420p");
            assertThat(video.width()).isEqualTo(h264.rung().width());
            assertThat(video.height()).isEqualTo(h264.rung().height());
            assertThat(info.audioStreams()).isEmpty();
            // Main profile, 8 bits, main tier, as the init segment's av1C says.
            assertThat(variant.codecs()).matches("av01\\.0\\.\\d\\dM\\.08");
            assertThat(variant.frameRate()).isCloseTo(30, within(0.01));
            assertThat(variant.durationSeconds()).isCloseTo(h264.durationSeconds(), within(1e-3));
            assertThat(variant.peakBitrate()).isGreaterThanOrEqualTo(variant.averageBitrate()).isPositive();

            // The same keyframe instants and segment boundaries as the H.264 rungs, and video starting with audio.
            assertThat(LadderChecks.keyframeTimes(variant.playlist())).isEqualTo(keyframes);
            assertThat(segmentDurations(variant.playlist())).isEqualTo(segmentDurations(h264.playlist()));
            assertThat(FfmpegTools.packets(variant.playlist(), "video").get(0).ptsTime()).isZero();

            // It decodes, in this process, every picture the H.264 rung has.
            DecodeCheck.Decoded decoded = DecodeCheck.decode(variant.playlist());
            assertThat(decoded.videoCodec()).isEqualTo("av1");
            assertThat(decoded.frames()).isEqualTo(FfmpegTools.packets(h264.playlist(), "video").size());
        }
    }

    @Test
    void coversTheRungsUpToItsLargestAtAShareOfTheirBitrate() {
        Av1Ladder av1 = new Av1Ladder(true, 720, 10, 0.6);
        assertThat(av1.covers(new Rung(1080, 1920, 1080, 5_000_000))).isFalse();
        assertThat(av1.covers(new Rung(720, 1280, 720, 2_800_000))).isTrue();
        assertThat(av1.variantOf(new Rung(720, 1280, 720, 2_800_000))).isEqualTo(new Rung(720, 1280, 720, 1_680_000));
        assertThat(Av1Ladder.OFF.covers(new Rung(144, 256, 144, 200_000))).isFalse();
        assertThatThrownBy(() -> new Av1Ladder(true, 720, 11, 0.6)).hasMessageContaining("0 to 10");
        assertThatThrownBy(() -> new Av1Ladder(true, 720, 10, 0)).hasMessageContaining("ratio");
    }

    @Test
    void passesItsMemorySettingsToSvtAv1() {
        // The service's defaults: one level of parallelism, no lookahead (half of SVT-AV1's picture buffers).
        assertThat(new Av1Ladder(true, 720, 10, 0.6).svtParams()).isEqualTo("lp=1:lookahead=0");
        assertThat(new Av1Ladder(true, 720, 10, 0.6, 0, 32).svtParams()).isEqualTo("lookahead=32");
        // SVT-AV1's own choices: nothing to pass.
        assertThat(new Av1Ladder(true, 720, 10, 0.6, 0, Av1Ladder.SVT_DEFAULT).svtParams()).isEmpty();
        assertThatThrownBy(() -> new Av1Ladder(true, 720, 10, 0.6, 7, 0)).hasMessageContaining("parallelism is 0 to 6");
        assertThatThrownBy(() -> new Av1Ladder(true, 720, 10, 0.6, 1, 121)).hasMessageContaining("lookahead is 0 to 120");
        assertThatThrownBy(() -> new Av1Ladder(true, 720, 10, 0.6, 1, -2)).hasMessageContaining("lookahead");
    }

    /** The media playlist's {@code #EXTINF} lines: where its segments are cut. */
    private static List<String> segmentDurations(Path playlist) {
        return LadderChecks.read(playlist).lines().filter(line -> line.startsWith("#EXTINF")).toList();
    }
}
