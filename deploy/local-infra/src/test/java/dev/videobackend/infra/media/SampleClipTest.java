package dev.videobackend.infra.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SampleClipTest {

    @Test
    void writesAnH264AacClipThatFfprobeReads(@TempDir Path directory) {
        Path clip = SampleClip.write(SampleClip.Spec.standard(2.0), directory.resolve("clip.mp4"));

        MediaInfo info = FfmpegTools.probe(clip);

        assertThat(info.format().formatName()).contains("mp4");
        assertThat(info.format().duration()).isCloseTo(2.0, within(0.05));
        MediaInfo.Stream video = info.video().orElseThrow();
        assertThat(video.codecName()).isEqualTo("h264");
        assertThat(video.width()).isEqualTo(640);
        assertThat(video.height()).isEqualTo(360);
        assertThat(video.frameRate()).isCloseTo(30.0, within(0.01));
        assertThat(video.frameCount()).isEqualTo(60);
        MediaInfo.Stream audio = info.audio().orElseThrow();
        assertThat(audio.codecName()).isEqualTo("aac");
        assertThat(audio.sampleRate()).isEqualTo(48_000);
        assertThat(audio.channels()).isEqualTo(2);
    }

    @Test
    void writesVideoOnlyClips(@TempDir Path directory) {
        Path clip = SampleClip.write(new SampleClip.Spec(320, 240, 25, 1.0, false), directory.resolve("silent.mp4"));

        MediaInfo info = FfmpegTools.probe(clip);

        assertThat(info.audioStreams()).isEmpty();
        assertThat(info.video().orElseThrow().frameCount()).isEqualTo(25);
    }
}
