package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.transcode.DecoderAllowList;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_version_info;

/**
 * Loads the FFmpeg libraries when the service starts, so that missing natives or encoders, or a decoder allow-list
 * this build has none of, stop it at once rather than fail the first job. libavdevice is never loaded: it needs PulseAudio, and a server has no use for it.
 */
class FfmpegStartup {

    private static final Logger LOG = Logger.getLogger(FfmpegStartup.class);

    void onStart(@Observes StartupEvent event, TranscoderConfig config) {
        av_log_set_level(config.ffmpegLogLevel().level());
        for (String encoder : new String[] {"libopenh264", "aac"}) {
            if (avcodec_find_encoder_by_name(encoder) == null) {
                throw new IllegalStateException("This FFmpeg build lacks the " + encoder + " encoder");
            }
        }
        List<String> decoders = config.input().allowedDecoders();
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
        LOG.infof("FFmpeg %s loaded", av_version_info().getString());
    }
}
