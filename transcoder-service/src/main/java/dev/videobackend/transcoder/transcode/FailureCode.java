package dev.videobackend.transcoder.transcode;

/** Why a job failed, as {@code TranscodeFailed.code} reports it; documented in {@code docs/events.md}. */
public enum FailureCode {
    /** The source file named by the request is not in the media directory. */
    SOURCE_NOT_FOUND(false),
    /** The request names a source outside {@code sources/}, or the file's container is not allowed. */
    INPUT_NOT_ALLOWED(false),
    /** The file cannot be read as media, or breaks while decoding. */
    CORRUPT_INPUT(false),
    /** The file has no video stream. */
    NO_VIDEO_STREAM(false),
    /** The file's video or audio codec has no decoder here, or none on the decoder allow-list. */
    UNSUPPORTED_CODEC(false),
    /** Dimensions, duration or stream count over the configured limits. */
    TOO_LARGE(false),
    /** The job ran longer than its time budget and was stopped. */
    TIMED_OUT(false),
    /** Attempted the maximum number of times without finishing: the process crashed or hung on it each time. */
    POISON_INPUT(false),
    /** A cancel request stopped the job. */
    CANCELLED(true),
    /** The volume the output is written to is full (or over its quota); retrying once there is room may help. */
    STORAGE_FULL(true),
    /** Anything else: a bug, a broken encoder. Retrying may help. */
    INTERNAL(true);

    private final boolean retryable;

    FailureCode(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
