package dev.videobackend.catalog.media;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A chunk's body broke off; what arrived before the break is durable, up to {@link #savedOffset()}. */
public class ChunkInterruptedException extends UncheckedIOException {

    private final long savedOffset;

    ChunkInterruptedException(long savedOffset, IOException cause) {
        super("The chunk broke off at offset " + savedOffset, cause);
        this.savedOffset = savedOffset;
    }

    public long savedOffset() {
        return savedOffset;
    }
}
