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
import java.util.Locale;
import java.util.stream.IntStream;

import static dev.videobackend.transcoder.transcode.GeneratedSources.ffmpeg;
import static dev.videobackend.transcoder.transcode.GeneratedSources.pattern;
import static dev.videobackend.transcoder.transcode.GeneratedSources.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The pipeline on its own, on sources generated in the test, every output checked as ffprobe reads it
 * ({@code FfmpegTools}, independent of the service's code): an independent reader of what was written.
 */
class LadderTranscoderTest {

    static final SourceLimits LIMITS = new SourceLimits(7680, 7680, 33_177_600, Duration.ofHours(6), 16, 5_000_000,
            Duration.ofSeconds(5), 8);
    static final List<String> ALLOWED = List.of("mov", "matroska", "webm", "mpegts", "avi");
    static final List<String> DECODERS = List.of(DecoderAllowList.DEFAULT.split(","));
    private static final LadderTranscoder TRANSCODER = transcoder(
            List.of("720:2800000", "360:800000", "240:400000", "144:200000"));

    static LadderTranscoder transcoder(List<String> rungs) {
        return transcoder(rungs, VideoEncoding.OPENH264);
    }

    static LadderTranscoder transcoder(List<String> rungs, VideoEncoding video) {
        return transcoder(rungs, video, StoryboardSpec.DEFAULT);
    }

    static LadderTranscoder transcoder(List<String> rungs, VideoEncoding video, StoryboardSpec storyboard) {
        return new LadderTranscoder(new LadderTranscoder.Settings(
                new Ladder(rungs.stream().map(RungSpec::parse).toList()), ALLOWED, DECODERS, 1.0, 128_000, 0,
                LIMITS, video, storyboard));
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
                    "master.m3u8", "360p", "240p", "144p", "audio", "poster.jpg", "progressive.mp4",
                    "storyboard.vtt", "sprite-001.jpg");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void turnsARotatedPhoneClipIntoPortraitRenditions(@TempDir Path directory) {
        Path landscape = GeneratedSources.h264WithAudio(directory.resolve("landscape.mp4"), 640, 360, "30", 1.0);
        // A display matrix a quarter turn counter-clockwise, as phones write it: shown as 360x640.
        Path phone = ffmpeg(directory.resolve("phone.mp4"), "-display_rotation:v", "90", "-i", landscape.toString(),
                "-c", "copy");

        LadderTranscoder.Result result = TRANSCODER.transcode(phone, mkdir(directory.resolve("out")), progress -> { });

        assertThat(result.source().rotation()).isEqualTo(270);
        assertThat(result.renditions()).extracting(r -> r.rung().width() + "x" + r.rung().height())
                .containsExactly("360x640", "240x426", "144x256");
        LadderChecks.assertRenditions(result, FfmpegTools.probe(landscape).format().duration(), 30);
        assertThat(result.poster().width()).isEqualTo(360);
        assertThat(result.poster().height()).isEqualTo(640);
        assertThat(FfmpegTools.probe(result.poster().file()).video().orElseThrow().height()).isEqualTo(640);
    }

    @Test
    void roundsOddDimensionsToEvenOnes(@TempDir Path directory) {
        // 4:4:4, as odd sizes need; testsrc2 itself makes even sizes only.
        Path odd = ffmpeg(directory.resolve("odd.mkv"), "-f", "lavfi", "-i", pattern(640, 360, "25", 1.0),
                "-vf", "scale=641:359,setsar=1,format=yuv444p", "-c:v", "ffv1");

        LadderTranscoder.Result result = TRANSCODER.transcode(odd, mkdir(directory.resolve("out")), progress -> { });

        assertThat(result.source().width()).isEqualTo(641);
        assertThat(result.source().pixelFormat()).isEqualTo("yuv444p");
        assertThat(result.renditions()).extracting(r -> r.rung().width() + "x" + r.rung().height())
                .containsExactly("640x358", "428x240", "258x144");
        LadderChecks.assertRenditions(result, 1.0, 25);
        assertThat(result.audio()).isNull();
    }

    @Test
    void makesAVariableFrameRateConstant(@TempDir Path directory) {
        // 30 fps with a run of frames dropped and their timestamps kept: uneven gaps.
        Path variable = ffmpeg(directory.resolve("variable.mkv"), "-f", "lavfi", "-i", pattern(320, 240, "30", 2.0),
                "-vf", "select='not(between(n,10,24))'", "-fps_mode", "vfr", "-c:v", "libopenh264");

        LadderTranscoder.Result result = TRANSCODER.transcode(variable, mkdir(directory.resolve("out")),
                progress -> { });

        assertThat(result.source().variableFrameRate()).isTrue();
        LadderChecks.assertRenditions(result, FfmpegTools.probe(variable).format().duration(),
                result.renditions().get(0).frameRate());
        LadderChecks.assertKeyframesAligned(result);
    }

    @Test
    void deinterlacesInterlacedMpeg2InTransportStream(@TempDir Path directory) {
        Path interlaced = ffmpeg(directory.resolve("interlaced.ts"), "-f", "lavfi", "-i",
                pattern(720, 576, "25", 1.0), "-f", "lavfi", "-i", tone(1.0), "-vf", "setfield=tff",
                "-c:v", "mpeg2video", "-flags", "+ilme+ildct", "-b:v", "4M", "-c:a", "aac", "-f", "mpegts");

        LadderTranscoder.Result result = TRANSCODER.transcode(interlaced, mkdir(directory.resolve("out")),
                progress -> { });

        assertThat(result.source().interlaced()).isTrue();
        assertThat(result.source().videoCodec()).isEqualTo("mpeg2video");
        assertThat(result.renditions()).extracting(r -> r.rung().name()).containsExactly("576p", "360p", "240p", "144p");
        LadderChecks.assertRenditions(result, FfmpegTools.probe(interlaced).video().orElseThrow().duration(), 25);
        assertThat(FfmpegTools.probe(interlaced).video().orElseThrow().fieldOrder()).isEqualTo("tt");
        for (LadderTranscoder.Rendition rendition : result.renditions()) {
            assertThat(FfmpegTools.probe(rendition.playlist()).videoStreams())
                    .allSatisfy(video -> assertThat(video.fieldOrder()).isIn("progressive", "unknown"));
        }
        assertThat(result.audio()).isNotNull();
    }

    /**
     * A screen recording's static pause: the picture before it is repeated until the next one, on every rung, at the
     * constant rate, and the poster (due in the pause) is one of the repeats.
     */
    @Test
    void repeatsThePictureThroughAStaticPause(@TempDir Path directory) {
        Path paused = ffmpeg(directory.resolve("paused.mkv"), "-f", "lavfi", "-i", pattern(320, 240, "25", 1.0),
                "-vf", "setpts='if(eq(N,24),PTS+7/TB,PTS)'", "-c:v", "libopenh264");

        LadderTranscoder.Result result = TRANSCODER.transcode(paused, mkdir(directory.resolve("out")),
                progress -> { });

        assertThat(result.source().variableFrameRate()).isTrue();
        LadderChecks.assertRenditions(result, FfmpegTools.probe(paused).format().duration(), 25);
        LadderChecks.assertKeyframesAligned(result);
        assertThat(result.poster().file()).isRegularFile();
    }

    /**
     * FFmpeg's HLS muxer keeps only a window of segments (VodPlaylist): every segment of a longer playlist is listed
     * all the same, in order, video and audio.
     */
    @Test
    void listsEverySegmentOfAPlaylistLongerThanTheMuxersWindow(@TempDir Path directory) {
        double seconds = VodPlaylist.WINDOW + 4;
        Path source = GeneratedSources.h264WithAudio(directory.resolve("long.mp4"), 320, 240, "10", seconds);

        LadderTranscoder.Result result = transcoder(List.of("240:400000")).transcode(source,
                mkdir(directory.resolve("out")), progress -> { });

        for (Path playlist : List.of(result.renditions().get(0).playlist(), result.audio().playlist())) {
            MediaPlaylist written = MediaPlaylist.read(playlist);
            assertThat(written.segments()).extracting(MediaPlaylist.Segment::uri).as("segments of %s", playlist)
                    .isEqualTo(IntStream.rangeClosed(1, (int) seconds)
                            .mapToObj(n -> String.format(Locale.ROOT, "segment-%05d.m4s", n)).toList());
            assertThat(written.segments().stream().mapToDouble(MediaPlaylist.Segment::durationSeconds).sum())
                    .isCloseTo(seconds, within(0.05));
            assertThat(LadderChecks.read(playlist)).startsWith("#EXTM3U").contains("#EXT-X-PLAYLIST-TYPE:VOD")
                    .endsWith("#EXT-X-ENDLIST\n");
        }
        LadderChecks.assertRenditions(result, FfmpegTools.probe(source).format().duration(), 10);
    }

    /** A broadcast stream switching formats: every rung keeps its size, the new pictures are scaled into it. */
    @Test
    void scalesPicturesThatChangeSizeMidStreamIntoTheRungs(@TempDir Path directory) {
        Path switching = GeneratedSources.concatenate(directory.resolve("switching.ts"),
                GeneratedSources.h264Ts(directory.resolve("first.ts"), 640, 360, 0, 1.0),
                GeneratedSources.h264Ts(directory.resolve("second.ts"), 320, 240, 1.0, 1.0));

        LadderTranscoder.Result result = TRANSCODER.transcode(switching, mkdir(directory.resolve("out")),
                progress -> { });

        assertThat(result.source().width()).isEqualTo(640);
        assertThat(result.renditions()).extracting(r -> r.rung().width() + "x" + r.rung().height())
                .containsExactly("640x360", "426x240", "256x144");
        LadderChecks.assertRenditions(result, FfmpegTools.probe(switching).format().duration(), 25);
    }

    /** 576i to 360p, as broadcast switches 1080i to 720p: deinterlaced while interlaced, then scaled. */
    @Test
    void handlesAnInterlacedStreamTurningProgressiveAtAnotherSize(@TempDir Path directory) {
        Path interlaced = ffmpeg(directory.resolve("interlaced.ts"), "-f", "lavfi", "-i",
                pattern(720, 576, "25", 1.0), "-vf", "setfield=tff", "-c:v", "mpeg2video", "-flags", "+ilme+ildct",
                "-b:v", "4M", "-f", "mpegts");
        Path progressive = ffmpeg(directory.resolve("progressive.ts"), "-f", "lavfi", "-i",
                pattern(640, 360, "25", 1.0), "-vf", "setpts=PTS+1/TB", "-c:v", "mpeg2video", "-b:v", "2M",
                "-f", "mpegts");
        Path switching = GeneratedSources.concatenate(directory.resolve("switching.ts"), interlaced, progressive);

        LadderTranscoder.Result result = TRANSCODER.transcode(switching, mkdir(directory.resolve("out")),
                progress -> { });

        assertThat(result.source().interlaced()).isTrue();
        assertThat(result.renditions()).extracting(r -> r.rung().name()).containsExactly("576p", "360p", "240p", "144p");
        LadderChecks.assertRenditions(result, FfmpegTools.probe(switching).format().duration(), 25);
    }

    @Test
    void capsTheFrameRateAtSixtyAndConvertsTenBitFourTwoTwo(@TempDir Path directory) {
        Path fast = ffmpeg(directory.resolve("fast.mkv"), "-f", "lavfi", "-i", pattern(320, 240, "120", 1.0),
                "-vf", "format=yuv422p10le", "-c:v", "ffv1");

        LadderTranscoder.Result result = TRANSCODER.transcode(fast, mkdir(directory.resolve("out")), progress -> { });

        assertThat(result.source().pixelFormat()).isEqualTo("yuv422p10le");
        assertThat(result.source().frameRate()).isEqualTo(120);
        // Checks yuv420p and a constant 60 fps with ffprobe.
        LadderChecks.assertRenditions(result, 1.0, 60);
        assertThat(result.renditions().get(0).rung().videoBitrate()).isEqualTo(600_000);
    }

    @Test
    void transcodesVp9AndOpusInWebm(@TempDir Path directory) {
        Path webm = ffmpeg(directory.resolve("clip.webm"), "-f", "lavfi", "-i", pattern(320, 240, "30", 1.0),
                "-f", "lavfi", "-i", tone(1.0), "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
                "-b:v", "300k", "-c:a", "libopus", "-shortest");

        LadderTranscoder.Result result = TRANSCODER.transcode(webm, mkdir(directory.resolve("out")), progress -> { });

        assertThat(result.source().videoCodec()).isEqualTo("vp9");
        assertThat(result.source().audioCodec()).isEqualTo("opus");
        assertThat(result.renditions()).extracting(r -> r.rung().name()).containsExactly("240p", "144p");
        LadderChecks.assertRenditions(result, FfmpegTools.probe(webm).video().orElseThrow().duration() == null
                ? 1.0 : FfmpegTools.probe(webm).video().orElseThrow().duration(), 30);
        MediaInfo audio = FfmpegTools.probe(result.audio().playlist());
        assertThat(audio.audio().orElseThrow().codecName()).isEqualTo("aac");
        assertThat(audio.audio().orElseThrow().sampleRate()).isEqualTo(48_000);
    }

    @Test
    void videoWithoutAudioGivesALadderWithoutAudio(@TempDir Path directory) {
        Path source = SampleClip.write(new SampleClip.Spec(320, 240, 25, 1.0, false), directory.resolve("silent.mp4"));
        Path out = mkdir(directory.resolve("out"));

        LadderTranscoder.Result result = TRANSCODER.transcode(source, out, progress -> { });

        assertThat(result.audio()).isNull();
        assertThat(result.source().audioChannelLayout()).isNull();
        assertThat(out.resolve("audio")).doesNotExist();
        LadderChecks.assertRenditions(result, 1.0, 25);
        LadderChecks.assertMasterPlaylistListsWhatWasWritten(result);
        assertThat(FfmpegTools.probe(result.progressive().file()).audioStreams()).isEmpty();
        assertThat(result.progressive().hasAudio()).isFalse();
    }

    @Test
    void makesEveryRungOfAFourKSourceEachFromTheNextLarger(@TempDir Path directory) {
        Path uhd = ffmpeg(directory.resolve("uhd.mp4"), "-f", "lavfi", "-i", pattern(3840, 2160, "10", 1.0),
                "-c:v", "libopenh264", "-b:v", "8M");
        LadderTranscoder transcoder = transcoder(List.of("2160:16000000", "1440:9000000", "1080:5000000",
                "720:2800000", "480:1400000", "360:800000", "240:400000", "144:200000"));

        LadderTranscoder.Result result = transcoder.transcode(uhd, mkdir(directory.resolve("out")), progress -> { });

        assertThat(result.renditions()).extracting(r -> r.rung().width() + "x" + r.rung().height()).containsExactly(
                "3840x2160", "2560x1440", "1920x1080", "1280x720", "854x480", "640x360", "426x240", "256x144");
        LadderChecks.assertRenditions(result, 1.0, 10);
        LadderChecks.assertKeyframesAligned(result);
        LadderChecks.assertMasterPlaylistListsWhatWasWritten(result);
        assertThat(result.poster().height()).isEqualTo(720);
        assertThat(result.progressive().height()).isEqualTo(360);
    }

    static Path mkdir(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
