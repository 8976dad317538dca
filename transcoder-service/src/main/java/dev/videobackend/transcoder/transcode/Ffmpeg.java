package dev.videobackend.transcoder.transcode;

import org.bytedeco.javacpp.Pointer;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** FFmpeg's negative return codes as exceptions that say what failed, why, and with which failure code. */
final class Ffmpeg {

    private static final int ERROR_TEXT_SIZE = 256;
    /** AVERROR(ENOSPC) and AVERROR(EDQUOT): FFmpeg's negated errno, with Linux's numbers. */
    private static final int NO_SPACE = -28;
    private static final int OVER_QUOTA = -122;

    private Ffmpeg() {
    }

    /**
     * Fails with {@code code} when {@code result} is an FFmpeg error; with {@code STORAGE_FULL} whatever the step when
     * the volume written to is full, which says nothing about the source.
     */
    static int check(int result, FailureCode code, String action) {
        if (result < 0) {
            throw new TranscodeFailure(result == NO_SPACE || result == OVER_QUOTA ? FailureCode.STORAGE_FULL : code,
                    "Could not " + action + ": " + errorText(result));
        }
        return result;
    }

    /** Fails as an internal error: for steps that only fail on a bug or a lack of memory. */
    static int check(int result, String action) {
        return check(result, FailureCode.INTERNAL, action);
    }

    /**
     * {@code pointer}, unless FFmpeg could not allocate it: a NULL handed on would crash the process, a failure only
     * fails the job.
     */
    static <P extends Pointer> P allocated(P pointer, String what) {
        if (pointer == null || pointer.isNull()) {
            throw new TranscodeFailure(FailureCode.INTERNAL, "Could not allocate " + what + ": out of memory");
        }
        return pointer;
    }

    static String errorText(int code) {
        byte[] text = new byte[ERROR_TEXT_SIZE];
        av_strerror(code, text, ERROR_TEXT_SIZE);
        return cString(text);
    }

    /** The NUL-terminated string FFmpeg wrote into {@code buffer}. */
    static String cString(byte[] buffer) {
        int length = 0;
        while (length < buffer.length && buffer[length] != 0) {
            length++;
        }
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }
}
