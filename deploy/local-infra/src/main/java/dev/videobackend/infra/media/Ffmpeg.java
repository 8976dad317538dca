package dev.videobackend.infra.media;

import org.bytedeco.javacpp.BytePointer;

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
        try (BytePointer text = new BytePointer(ERROR_TEXT_SIZE)) {
            av_strerror(code, text, ERROR_TEXT_SIZE);
            return text.getString();
        }
    }
}
