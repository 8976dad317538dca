package dev.videobackend.catalog.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/**
 * An upload's body broke off before its end, usually because the client's connection dropped. A resumable upload
 * keeps what arrived, up to {@link #resumeOffset()}; a whole upload keeps nothing.
 */
public class BodyBrokeOffException extends UncheckedIOException {

    private final long receivedBytes;
    private final OptionalLong resumeOffset;

    private BodyBrokeOffException(long receivedBytes, OptionalLong resumeOffset, IOException cause) {
        super("The request body broke off after " + receivedBytes + " bytes", cause);
        this.receivedBytes = receivedBytes;
        this.resumeOffset = resumeOffset;
    }

    /** A whole upload that broke off; what it wrote is discarded. */
    public static BodyBrokeOffException discarded(long receivedBytes, IOException cause) {
        return new BodyBrokeOffException(receivedBytes, OptionalLong.empty(), cause);
    }

    /** A chunk that broke off; the upload is durable up to {@code offset}. */
    static BodyBrokeOffException keptUpTo(long offset, long receivedBytes, IOException cause) {
        return new BodyBrokeOffException(receivedBytes, OptionalLong.of(offset), cause);
    }

    /** Whether the client stopped sending rather than went away: the body was idle for too long. */
    public boolean idle() {
        return getCause() instanceof BodyIdleException;
    }

    public long receivedBytes() {
        return receivedBytes;
    }

    /** Where a resumable upload continues; empty for a whole upload. */
    public OptionalLong resumeOffset() {
        return resumeOffset;
    }
}
