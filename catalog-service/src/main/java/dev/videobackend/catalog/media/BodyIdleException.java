package dev.videobackend.catalog.media;

import java.io.IOException;
import java.time.Duration;

/** No byte of a request body arrived for the idle timeout: the upload is given up, as if it had broken off. */
public class BodyIdleException extends IOException {

    public BodyIdleException(Duration idle) {
        super("No byte of the body arrived for " + idle.toSeconds() + " s");
    }
}
