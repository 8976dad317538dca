package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.transcode.DecoderAllowList;
import dev.videobackend.transcoder.transcode.VideoEncoder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The start-up checks of the configured encoder and decoders against the natives this build loads. */
class FfmpegStartupTest {

    @Test
    void openH264IsInEveryBuild() {
        assertThatCode(() -> FfmpegStartup.requireEncoders(VideoEncoder.OPENH264)).doesNotThrowAnyException();
    }

    @Test
    void x264OnTheLgplNativesNamesTheProfileThatHasIt() {
        assumeFalse(VideoEncoder.X264.available(), "This is the -Pgpl build: its natives have libx264");
        assertThatThrownBy(() -> FfmpegStartup.requireEncoders(VideoEncoder.X264))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("transcoder.video.encoder=x264 needs FFmpeg's libx264 encoder, which the"
                        + " loaded FFmpeg natives lack: they are the LGPL build. Build the transcoder with the Maven"
                        + " profile -Pgpl")
                .hasMessageEndingWith("or set transcoder.video.encoder=openh264");
    }

    @Test
    void x264OnTheGplNativesIsAccepted() {
        assumeTrue(VideoEncoder.X264.available(), "The LGPL natives have no libx264: build with -Pgpl");
        assertThatCode(() -> FfmpegStartup.requireEncoders(VideoEncoder.X264)).doesNotThrowAnyException();
    }

    @Test
    void aDecoderAllowListThisBuildHasNoneOfStopsTheStart() {
        assertThatCode(() -> FfmpegStartup.checkDecoders(List.of(DecoderAllowList.DEFAULT.split(","))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> FfmpegStartup.checkDecoders(List.of("h246", "libdav1d")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("This FFmpeg build has none of the decoders of transcoder.input.allowed-decoders "
                        + "(h246,libdav1d): every source would fail");
    }
}
