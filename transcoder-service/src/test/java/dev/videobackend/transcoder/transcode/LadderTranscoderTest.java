package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.MediaInfo;
import dev.videobackend.infra.media.SampleClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.videobackend.transcoder.transcode.GeneratedSources.ffmpeg;
import static dev.videobackend.transcoder.transcode.GeneratedSources.pattern;
import static dev.videobackend.transcoder.transcode.GeneratedSources.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The pipeline on its own, on sources generated in the test, every output checked with the ffprobe shipped in
 * the FFmpeg jar: an independent reader of what was written.
 */
class LadderTranscoderTest {

    static final SourceLimits LIMITS = new SourceLimits(7680, 7680, 33_177_600, Duration.ofHours(6), 16, 5_000_000,
            Duration.ofSeconds(5), 8);
    static final List<String> ALLOWED = List.of("mov", "matroska", "webm", "mpegts", "avi");
    private static final LadderTranscoder TRANSCODER = transcoder(
            List.of("720:2800000", "360:800000", "240:400000", "144:200000"));

    static LadderTranscoder transcoder(List<String> rungs) {
        return new LadderTranscoder(new LadderTranscoder.Settings(
                new Ladder(rungs.stream().map(RungSpec::parse).toList()), ALLOWED, 1.0, 128_000, 0, LIMITS));
    }

    @Test
    void writesAnHlsLadderWithSharedAudioPosterAndProgressiveMp4(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(2.5), directory.resolve("source.mp4"));
        MediaInfo sourceInfo = FfmpegTools.probe(source);
        Path out = mkdir(directory.resolve("out"));
        List<LadderTranscoder.Progress> progress = new ArrayList<>();

        LadderTranscoder.Result result = TRANSCODER.transcode(source, out, progress::add);

        assertThat(result.source().width()).isEqualTo(640);
        assertThat(result.source().audioChannelLayout()).isEqualTo("stereo");
        assertThat(result.renditions()).extracting(r -> r.rung().name()).containsExactly("360p", "240p", "144p");
        LadderChecks.assertRenditions(result, sourceInfo.format().duration(), 30);
        LadderChecks.assertKeyframesAligned(result);
        LadderChecks.assertMasterPlaylistListsWhatWasWritten(result);

        MediaInfo audio = FfmpegTools.probe(result.audio().playlist());
        assertThat(audio.videoStreams()).isEmpty();
        assertThat(audio.audio().orElseThrow().codecName()).isEqualTo("aac");
        assertThat(audio.audio().orElseThrow().profile()).isEqualTo("LC");
        assertThat(audio.audio().orElseThrow().sampleRate()).isEqualTo(48_000);
        assertThat(audio.audio().orElseThrow().channels()).isEqualTo(2);
        assertThat(result.audio().durationSeconds()).isCloseTo(sourceInfo.format().duration(), within(0.05));

        MediaInfo poster = FfmpegTools.probe(result.poster().file());
        assertThat(poster.video().orElseThrow().codecName()).isEqualTo("mjpeg");
        assertThat(poster.video().orElseThrow().width()).isEqualTo(640);
        assertThat(result.poster()).isEqualTo(new LadderTranscoder.Poster(out.resolve("poster.jpg"), 640, 360));

        MediaInfo progressive = FfmpegTools.probe(result.progressive().file());
        assertThat(progressive.video().orElseThrow().codecName()).isEqualTo("h264");
        assertThat(progressive.video().orElseThrow().height()).isEqualTo(360);
        assertThat(progressive.audio().orElseThrow().codecName()).isEqualTo("aac");
        assertThat(progressive.format().duration()).isCloseTo(sourceInfo.format().duration(), within(0.1));
        assertThat(result.progressive().sizeBytes()).isEqualTo(progressive.format().size());
        assertThat(LadderChecks.topLevelBoxes(result.progressive().file())).containsSubsequence("moov", "mdat");

        assertThat(progress.get(0).stage()).isEqualTo(LadderTranscoder.Stage.PROBING);
        assertThat(progress).extracting(LadderTranscoder.Progress::stage)
                .contains(LadderTranscoder.Stage.ENCODING, LadderTranscoder.Stage.PACKAGING);
        assertThat(progress).extracting(LadderTranscoder.Progress::percent).isSorted();
        LadderTranscoder.Progress last = progress.get(progress.size() - 1);
        assertThat(last.renditionsDone()).isEqualTo(3);
        assertThat(last.renditionsTotal()).isEqualTo(3);
        assertThat(last.percent()).isEqualTo(100);
        assertThat(out).isDirectoryContaining("glob:**/master.m3u8");
        try (var files = Files.list(out)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder(
                    "master.m3u8", "360p", "240p", "144p", "audio", "poster.jpg", "progressive.mp4");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Path mkdir(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
