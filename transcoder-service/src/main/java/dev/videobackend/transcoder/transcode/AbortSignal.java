package dev.videobackend.transcoder.transcode;

/**
 * Asked by the pipeline between packets and from FFmpeg's interrupt callback while it blocks: an answer other than
 * {@code null} stops the transcode, which then throws that failure (a cancel, an exhausted time budget).
 */
@FunctionalInterface
public interface AbortSignal {

    AbortSignal NEVER = () -> null;

    /** Why the transcode must stop now, or {@code null} to go on. Called often: must be cheap and thread-safe. */
    TranscodeFailure abortReason();

    /** Throws the abort reason, if there is one. */
    default void checkNotAborted() {
        TranscodeFailure reason = abortReason();
        if (reason != null) {
            throw reason;
        }
    }
}
