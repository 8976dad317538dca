package dev.videobackend.transcoder.transcode;

import java.util.Locale;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;

/**
 * The H.264 encoders the ladder can use. Which ones the process has depends on the FFmpeg natives the build bundled:
 * the LGPL build only has OpenH264, the GPL build ({@code -Pgpl}) has x264 too.
 */
public enum VideoEncoder {

    /** Cisco's OpenH264, in both builds: the weaker encoder, and the only one without GPL obligations. */
    OPENH264("libopenh264"),
    /** x264: better pictures per bit at the same speed (docs/ladder.md), in the GPL natives only. */
    X264("libx264");

    private final String codecName;

    VideoEncoder(String codecName) {
        this.codecName = codecName;
    }

    /** FFmpeg's name of the encoder. */
    public String codecName() {
        return codecName;
    }

    /** As {@code transcoder.video.encoder} names it. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the loaded FFmpeg natives have it. */
    public boolean available() {
        return avcodec_find_encoder_by_name(codecName) != null;
    }
}
