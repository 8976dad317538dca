package dev.videobackend.transcoder.events;

/** A record on the requests topic that is not a valid {@code TranscodeRequested}; it goes to the dead-letter topic. */
public class MalformedRequestException extends RuntimeException {

    public MalformedRequestException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedRequestException(String message) {
        super(message);
    }
}
