package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.transcode.DecoderAllowList;
import dev.videobackend.transcoder.transcode.VideoEncoder;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_version_info;

/**
 * Loads the FFmpeg libraries when the service starts, so that missing natives or encoders, or a decoder allow-list
 * this build has none of, stop it at once rather than fail the first job. libavdevice is never loaded: it needs
 * PulseAudio, and a server has no use for it.
 */
class FfmpegStartup {

    private static final Logger LOG = Logger.getLogger(FfmpegStartup.class);

    void onStart(@Observes StartupEvent event, TranscoderConfig config) {
        av_log_set_level(config.ffmpegLogLevel().level());
        // encoding() refuses a rate control the encoder lacks: that stops the start too.
        VideoEncoder video = config.video().encoding().encoder();
        requireEncoders(video);
        checkDecoders(config.input().allowedDecoders());
        LOG.infof("FFmpeg %s loaded, H.264 by %s", av_version_info().getString(), video.codecName());
    }

    /** The configured H.264 encoder and AAC are in the loaded natives, or the message says which build has them. */
    static void requireEncoders(VideoEncoder video) {
        if (!video.available()) {
            String remedy = switch (video) {
                case X264 -> "they are the LGPL build. Build the transcoder with the Maven profile -Pgpl (FFmpeg's"
                        + " GPL natives; see docs/ladder.md for what the GPL asks of whoever distributes the image),"
                        + " or set transcoder.video.encoder=openh264";
                case OPENH264 -> "they are not the bytedeco FFmpeg build this service is made for";
            };
            throw new IllegalStateException("transcoder.video.encoder=" + video.configName() + " needs FFmpeg's "
                    + video.codecName() + " encoder, which the loaded FFmpeg natives lack: " + remedy);
        }
        if (avcodec_find_encoder_by_name("aac") == null) {
            throw new IllegalStateException("This FFmpeg build lacks the aac encoder");
        }
    }

    /** Names the allow-list's entries this build has no decoder for; refuses a list it has none of. */
    static void checkDecoders(List<String> decoders) {
        List<String> unmatched = DecoderAllowList.unmatched(decoders);
        if (unmatched.size() == decoders.size()) {
            throw new IllegalStateException("This FFmpeg build has none of the decoders of "
                    + "transcoder.input.allowed-decoders (" + String.join(",", decoders) + "): every source would fail");
        }
        if (!unmatched.isEmpty()) {
            // The default names libdav1d, which the bundled build lacks; elsewhere this may be a typo.
            LOG.infof("transcoder.input.allowed-decoders: this FFmpeg build has no decoder for %s; skipped",
                    String.join(", ", unmatched));
        }
    }
}
