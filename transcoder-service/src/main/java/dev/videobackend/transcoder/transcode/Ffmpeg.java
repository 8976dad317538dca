package dev.videobackend.transcoder.transcode;

import org.bytedeco.javacpp.BytePointer;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** FFmpeg's negative return codes as exceptions that say what failed, why, and with which failure code. */
final class Ffmpeg {

    private static final int ERROR_TEXT_SIZE = 256;

    private Ffmpeg() {
    }

    /** Fails with {@code code} when {@code result} is an FFmpeg error. */
    static int check(int result, FailureCode code, String action) {
        if (result < 0) {
            throw new TranscodeFailure(code, "Could not " + action + ": " + errorText(result));
        }
        return result;
    }

    /** Fails as an internal error: for steps that only fail on a bug or a lack of memory. */
    static int check(int result, String action) {
        return check(result, FailureCode.INTERNAL, action);
    }

    static String errorText(int code) {
        try (BytePointer text = new BytePointer(ERROR_TEXT_SIZE)) {
            av_strerror(code, text, ERROR_TEXT_SIZE);
            return text.getString();
        }
    }
}
