package dev.videobackend.transcoder.transcode;

import java.util.Locale;

/**
 * How every rung's video is encoded: the encoder, and x264's speed against compression trade-off (ignored by
 * OpenH264, which has no presets).
 */
public record VideoEncoding(VideoEncoder encoder, X264Preset x264Preset) {

    /** Today's default: OpenH264, which every build has. */
    public static final VideoEncoding OPENH264 = new VideoEncoding(VideoEncoder.OPENH264, X264Preset.VERYFAST);

    /** x264's presets, fastest first. */
    public enum X264Preset {
        ULTRAFAST, SUPERFAST, VERYFAST, FASTER, FAST, MEDIUM, SLOW, SLOWER, VERYSLOW;

        String x264Name() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
