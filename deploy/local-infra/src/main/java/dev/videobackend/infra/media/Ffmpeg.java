package dev.videobackend.infra.media;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** Turns FFmpeg's negative return codes into exceptions that say what failed and why. */
final class Ffmpeg {

    private static final int ERROR_TEXT_SIZE = 256;

    private Ffmpeg() {
    }

    static int check(int result, String action) {
        if (result < 0) {
            throw new IllegalStateException("Could not " + action + ": " + errorText(result) + " (" + result + ")");
        }
        return result;
    }

    static String errorText(int code) {
        byte[] text = new byte[ERROR_TEXT_SIZE];
        av_strerror(code, text, ERROR_TEXT_SIZE);
        int length = 0;
        while (length < text.length && text[length] != 0) {
            length++;
        }
        return new String(text, 0, length, StandardCharsets.UTF_8);
    }
}
