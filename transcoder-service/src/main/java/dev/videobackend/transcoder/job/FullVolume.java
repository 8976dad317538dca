package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.transcode.FailureCode;
import dev.videobackend.transcoder.transcode.TranscodeFailure;

import java.io.IOException;
import java.util.List;

/**
 * Whether a job failed because the volume it writes to is full (ENOSPC) or over its quota (EDQUOT): FFmpeg's writes
 * say so with their error code ({@code STORAGE_FULL} already), Java's file I/O only with the system's error text:
 * glibc's English one, unless the process runs in a locale whose message translations are installed (then a full
 * volume is still reported, as {@code INTERNAL}).
 */
final class FullVolume {

    private static final List<String> ERRORS = List.of("No space left on device", "Disk quota exceeded");

    private FullVolume() {
    }

    /** The code to report for {@code failure}: {@code STORAGE_FULL} instead of {@code INTERNAL} for a full volume. */
    static FailureCode code(Exception failure) {
        if (failure instanceof TranscodeFailure known && known.code() != FailureCode.INTERNAL) {
            return known.code();
        }
        return causedBy(failure) ? FailureCode.STORAGE_FULL : FailureCode.INTERNAL;
    }

    private static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException && cause.getMessage() != null
                    && ERRORS.stream().anyMatch(cause.getMessage()::contains)) {
                return true;
            }
        }
        return false;
    }
}
