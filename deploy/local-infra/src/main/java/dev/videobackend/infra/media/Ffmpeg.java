package dev.videobackend.infra.media;

import org.bytedeco.javacpp.Pointer;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
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
        return cString(text);
    }

    /** {@code pointer}, unless FFmpeg could not allocate it. */
    static <P extends Pointer> P allocated(P pointer, String what) {
        if (isNull(pointer)) {
            throw new IllegalStateException("Could not allocate " + what);
        }
        return pointer;
    }

    static boolean isNull(Pointer pointer) {
        return pointer == null || pointer.isNull();
    }

    /** The text of a NUL-terminated buffer FFmpeg wrote. */
    static String cString(byte[] text) {
        int length = 0;
        while (length < text.length && text[length] != 0) {
            length++;
        }
        return new String(text, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * FFmpeg's log level lowered to errors, as the executables ran with {@code -v error}: its default level logs every
     * file the HLS demuxer opens and every encoder's settings. The level is the process's: a quieter one is kept.
     */
    static void quietLogs() {
        if (av_log_get_level() > AV_LOG_ERROR) {
            av_log_set_level(AV_LOG_ERROR);
        }
    }
}
