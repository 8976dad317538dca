package dev.videobackend.transcoder.transcode;

import java.util.Locale;

/**
 * How every rung's video is encoded: the encoder, x264's speed against compression trade-off (OpenH264 has no
 * presets), and the rate control.
 *
 * @param crf x264's constant rate factor in {@link RateControl#CAPPED_CRF}: lower is better and bigger
 */
public record VideoEncoding(VideoEncoder encoder, X264Preset x264Preset, RateControl rateControl, double crf) {

    /** Today's default: OpenH264, which every build has, at the rungs' bitrates. */
    public static final VideoEncoding OPENH264 = new VideoEncoding(VideoEncoder.OPENH264, X264Preset.VERYFAST,
            RateControl.FIXED, 23);

    public VideoEncoding {
        if (rateControl == RateControl.CAPPED_CRF && encoder != VideoEncoder.X264) {
            throw new IllegalArgumentException("transcoder.video.rate-control=capped-crf needs"
                    + " transcoder.video.encoder=x264: OpenH264 has no constant rate factor");
        }
    }

    /** x264's presets, fastest first. */
    public enum X264Preset {
        ULTRAFAST, SUPERFAST, VERYFAST, FASTER, FAST, MEDIUM, SLOW, SLOWER, VERYSLOW;

        String x264Name() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a rung's bitrate is used. */
    public enum RateControl {
        /** The rung's bitrate is the target (and 1.5 times it the peak), whatever the content. */
        FIXED,
        /**
         * Content-adaptive: x264 keeps a constant quality ({@code crf}) and the rung's bitrate is only the cap
         * (maxrate, with a two-second buffer): simple content gets far fewer bits, hard content no more than today.
         */
        CAPPED_CRF
    }
}
