package dev.videobackend.infra.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The in-process {@code ffmpeg} and {@code ffprobe}: what the tests make and read without the executables. */
class FfmpegToolsTest {

    private static final String PATTERN = "testsrc2=size=320x240:rate=25:duration=2";
    private static final String TONE = "sine=frequency=440:sample_rate=44100:duration=2";

    @Test
    void makesWhatTheCommandLineDescribes(@TempDir Path directory) {
        Path clip = FfmpegTools.generate(directory.resolve("clip.mp4"), "-f", "lavfi", "-i", PATTERN,
                "-f", "lavfi", "-i", TONE, "-c:v", "libopenh264", "-b:v", "500k", "-g", "10", "-c:a", "aac",
                "-shortest");

        MediaInfo info = FfmpegTools.probe(clip);
        assertThat(info.format().formatName()).contains("mp4");
        assertThat(info.format().duration()).isCloseTo(2.0, within(0.05));
        assertThat(info.format().size()).isEqualTo(clip.toFile().length());
        MediaInfo.Stream video = info.video().orElseThrow();
        assertThat(video.codecName()).isEqualTo("h264");
        assertThat(video.width()).isEqualTo(320);
        assertThat(video.height()).isEqualTo(240);
        assertThat(video.pixelFormat()).isEqualTo("yuv420p");
        assertThat(video.frameRate()).isCloseTo(25.0, within(0.01));
        assertThat(video.frameCount()).isEqualTo(50);
        assertThat(video.fieldOrder()).isEqualTo("progressive");
        MediaInfo.Stream audio = info.audio().orElseThrow();
        assertThat(audio.codecName()).isEqualTo("aac");
        assertThat(audio.profile()).isEqualTo("LC");
        assertThat(audio.sampleRate()).isEqualTo(44_100);
        assertThat(audio.channelLayout()).isEqualTo("mono");

        List<MediaInfo.Packet> packets = FfmpegTools.packets(clip, "video");
        assertThat(packets).hasSize(50);
        assertThat(packets).extracting(MediaInfo.Packet::duration).containsOnly(packets.get(0).duration());
        assertThat(IntStream.range(0, packets.size()).filter(i -> packets.get(i).keyframe()))
                .containsExactly(0, 10, 20, 30, 40);
        assertThat(packets.get(10).ptsTime()).isCloseTo(0.4, within(1e-9));
        assertThat(packets.stream().mapToLong(MediaInfo.Packet::size).sum()).isPositive();
    }

    @Test
    void passesOptionsToTheEncoderAndTheMuxerAndFiltersAsAsked(@TempDir Path directory) {
        Path interlaced = FfmpegTools.generate(directory.resolve("interlaced.ts"), "-f", "lavfi", "-i",
                "testsrc2=size=720x576:rate=25:duration=1", "-vf", "setfield=tff", "-c:v", "mpeg2video",
                "-flags", "+ilme+ildct", "-b:v", "4M", "-f", "mpegts", "-mpegts_m2ts_mode", "1");
        Path still = FfmpegTools.generate(directory.resolve("still.png"), "-f", "lavfi", "-i", PATTERN,
                "-s", "64x48", "-frames:v", "1", "-c:v", "png", "-f", "image2pipe");
        Path song = FfmpegTools.generate(directory.resolve("song.webm"), "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", "0.5", "-ac", "2", "-c:a", "libopus");

        MediaInfo.Stream mpeg2 = FfmpegTools.probe(interlaced).video().orElseThrow();
        assertThat(mpeg2.codecName()).isEqualTo("mpeg2video");
        assertThat(mpeg2.fieldOrder()).isEqualTo("tt");
        MediaInfo png = FfmpegTools.probe(still);
        assertThat(png.format().formatName()).isEqualTo("png_pipe");
        assertThat(png.video().orElseThrow().width()).isEqualTo(64);
        MediaInfo opus = FfmpegTools.probe(song);
        assertThat(opus.videoStreams()).isEmpty();
        assertThat(opus.audio().orElseThrow().codecName()).isEqualTo("opus");
        assertThat(opus.audio().orElseThrow().sampleRate()).isEqualTo(48_000);
        assertThat(opus.audio().orElseThrow().channels()).isEqualTo(2);
        assertThat(opus.format().duration()).isCloseTo(0.5, within(0.05));
    }

    @Test
    void copiesAFileIntoAnotherContainer(@TempDir Path directory) {
        Path original = SampleClip.write(SampleClip.Spec.standard(1.0), directory.resolve("original.mp4"));

        Path copy = FfmpegTools.generate(directory.resolve("copy.mkv"), "-display_rotation:v", "90", "-i",
                original.toString(), "-c", "copy");

        MediaInfo info = FfmpegTools.probe(copy);
        assertThat(info.format().formatName()).isEqualTo("matroska,webm");
        assertThat(info.streams()).extracting(MediaInfo.Stream::codecName).containsExactly("h264", "aac");
        assertThat(FfmpegTools.packets(copy, "video")).hasSize(30);
    }

    @Test
    void refusesWhatItCannotDoAsTheExecutableWould(@TempDir Path directory) {
        Path target = directory.resolve("clip.mkv");

        assertThatThrownBy(() -> FfmpegTools.generate(target, "-f", "lavfi", "-i", PATTERN, "-no_such_option", "1"))
                .hasMessage("No encoder and not the muxer took the option -no_such_option");
        assertThatThrownBy(() -> FfmpegTools.generate(target, "-f", "lavfi", "-i", PATTERN, "-c:v", "mpeg4",
                "-cpu-used:v", "8")).hasMessage("No encoder and not the muxer took the option -cpu-used");
        assertThatThrownBy(() -> FfmpegTools.generate(target, "-i", target.toString(), "-c:v", "copy"))
                .hasMessageContaining("Copying one stream and encoding another is not supported");
        assertThatThrownBy(() -> FfmpegTools.generate(target, "-f", "lavfi", "-i", PATTERN, "-fps_mode", "cfr"))
                .hasMessageContaining("Unsupported -fps_mode cfr");
        assertThatThrownBy(() -> FfmpegTools.generate(target, "-f", "lavfi", "-i", PATTERN, "-c:v", "nope"))
                .hasMessage("This FFmpeg build has no encoder nope");
        assertThatThrownBy(() -> FfmpegTools.generate(target, "-i", PATTERN))
                .hasMessageContaining("Only -c copy reads a file input");
        assertThatThrownBy(() -> FfmpegTools.packets(FfmpegTools.generate(directory.resolve("tone.wav"), "-f", "lavfi",
                "-i", TONE), "video")).hasMessageContaining("No video stream in");
    }
}
