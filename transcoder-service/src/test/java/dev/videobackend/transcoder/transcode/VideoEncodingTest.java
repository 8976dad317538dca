package dev.videobackend.transcoder.transcode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VideoEncodingTest {

    @Test
    void cappedCrfNeedsX264() {
        assertThatThrownBy(() -> new VideoEncoding(VideoEncoder.OPENH264, VideoEncoding.X264Preset.VERYFAST,
                VideoEncoding.RateControl.CAPPED_CRF, 23))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transcoder.video.rate-control=capped-crf needs transcoder.video.encoder=x264: OpenH264"
                        + " has no constant rate factor");
    }
}
