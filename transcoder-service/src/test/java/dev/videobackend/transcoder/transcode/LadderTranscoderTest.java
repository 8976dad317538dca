package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.MediaInfo;
import dev.videobackend.infra.media.SampleClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The pipeline on its own, on generated sources, checked with the ffprobe shipped in the FFmpeg jar. */
class LadderTranscoderTest {

    private static final LadderTranscoder TRANSCODER = new LadderTranscoder(new LadderTranscoder.Settings(
            new Ladder(List.of(RungSpec.parse("720:2800000"), RungSpec.parse("360:800000"),
                    RungSpec.parse("240:400000"), RungSpec.parse("144:200000"))),
            List.of("mov", "matroska", "mpegts"), 1.0, 128_000, 0));

    @Test
    void encodesEveryRungBelowTheSourceFromOneDecode(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(3.0), directory.resolve("source.mp4"));
        MediaInfo sourceInfo = FfmpegTools.probe(source);
        List<LadderTranscoder.Progress> progress = new ArrayList<>();

        LadderTranscoder.Result result = TRANSCODER.transcode(source, directory, progress::add);

        assertThat(result.source().width()).isEqualTo(640);
        assertThat(result.source().height()).isEqualTo(360);
        assertThat(result.source().audioCodec()).isEqualTo("aac");
        assertThat(result.outputs()).extracting(output -> output.rung().height()).containsExactly(360, 240, 144);
        for (LadderTranscoder.Output output : result.outputs()) {
            MediaInfo info = FfmpegTools.probe(output.file());
            MediaInfo.Stream video = info.video().orElseThrow();
            assertThat(video.codecName()).isEqualTo("h264");
            assertThat(video.height()).isEqualTo(output.rung().height());
            assertThat(video.width()).isEqualTo(output.rung().width());
            assertThat(video.frameCount()).isEqualTo(sourceInfo.video().orElseThrow().frameCount());
            assertThat(info.format().duration()).isCloseTo(sourceInfo.format().duration(), within(0.1));
            assertThat(output.durationSeconds()).isCloseTo(info.format().duration(), within(0.05));
            MediaInfo.Stream audio = info.audio().orElseThrow();
            assertThat(audio.codecName()).isEqualTo("aac");
            assertThat(audio.sampleRate()).isEqualTo(48_000);
            assertThat(audio.channels()).isEqualTo(2);
            assertThat(output.sizeBytes()).isEqualTo(info.format().size());
        }
        assertThat(progress.get(0).stage()).isEqualTo(LadderTranscoder.Stage.PROBING);
        assertThat(progress).anyMatch(p -> p.stage() == LadderTranscoder.Stage.PACKAGING);
    }

    @Test
    void keyframesFallAtTheSameTimestampsOnEveryRung(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(4.0), directory.resolve("source.mp4"));

        LadderTranscoder.Result result = TRANSCODER.transcode(source, directory, progress -> { });

        List<List<String>> keyframes = result.outputs().stream().map(output -> keyframeTimes(output.file())).toList();
        assertThat(keyframes.get(0)).hasSize(4);
        assertThat(keyframes).allSatisfy(times -> assertThat(times).isEqualTo(keyframes.get(0)));
    }

    @Test
    void videoWithoutAudioGivesVideoOnlyRenditions(@TempDir Path directory) {
        Path source = SampleClip.write(new SampleClip.Spec(320, 240, 25, 1.0, false), directory.resolve("silent.mp4"));

        LadderTranscoder.Result result = TRANSCODER.transcode(source, directory, progress -> { });

        assertThat(result.outputs()).extracting(output -> output.rung().height()).containsExactly(240, 144);
        for (LadderTranscoder.Output output : result.outputs()) {
            MediaInfo info = FfmpegTools.probe(output.file());
            assertThat(info.audioStreams()).isEmpty();
            assertThat(info.video().orElseThrow().frameCount()).isEqualTo(25);
        }
    }

    @Test
    void refusesWhatIsNotMedia(@TempDir Path directory) throws IOException {
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        Path random = Files.write(directory.resolve("random.mp4"), noise);
        Path empty = Files.write(directory.resolve("empty.mp4"), new byte[0]);

        assertFailure(random, directory, FailureCode.CORRUPT_INPUT);
        assertFailure(empty, directory, FailureCode.CORRUPT_INPUT);
        assertFailure(directory.resolve("missing.mp4"), directory, FailureCode.SOURCE_NOT_FOUND);
    }

    @Test
    void neverFollowsAPlaylistDisguisedAsAVideo(@TempDir Path directory) throws IOException {
        Path secret = Files.writeString(directory.resolve("secret.txt"), "not for you");
        Path playlist = Files.writeString(directory.resolve("holiday.mp4"),
                "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://" + secret + "\n#EXT-X-ENDLIST\n");

        assertFailure(playlist, directory, FailureCode.CORRUPT_INPUT);
    }

    private static void assertFailure(Path source, Path directory, FailureCode code) {
        assertThatThrownBy(() -> TRANSCODER.transcode(source, directory, progress -> { }))
                .isInstanceOfSatisfying(TranscodeFailure.class, failure -> assertThat(failure.code()).isEqualTo(code));
    }

    private static List<String> keyframeTimes(Path file) {
        String csv = FfmpegTools.run(FfmpegTools.ffprobe(), "-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", file.toString());
        return csv.lines().filter(line -> line.contains("K")).map(line -> line.split(",")[0]).toList();
    }
}
