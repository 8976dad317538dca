package dev.videobackend.transcoder.transcode;

/** A job cannot finish; {@link #code()} tells the catalog and its users why. */
public class TranscodeFailure extends RuntimeException {

    private final FailureCode code;

    public TranscodeFailure(FailureCode code, String message) {
        super(message);
        this.code = code;
    }

    public TranscodeFailure(FailureCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public FailureCode code() {
        return code;
    }
}
