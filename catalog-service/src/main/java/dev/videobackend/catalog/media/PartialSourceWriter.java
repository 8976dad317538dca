package dev.videobackend.catalog.media;

import java.io.InputStream;

/** Write access to the partial source of a resumable upload, held until closed. */
public interface PartialSourceWriter extends AutoCloseable {

    String PAST_LENGTH = "The chunk goes past the upload's declared length";

    /**
     * Writes {@code body} at {@code offset}, durably, before returning the new offset. When the body breaks off,
     * what arrived is kept too and a {@link BodyBrokeOffException} says how far it reached.
     *
     * @param maxBytes the most the chunk may hold; more is refused and leaves the upload as it was
     */
    long append(long offset, InputStream body, long maxBytes);

    /** What must be saved with the offset this writer reached, for the upload to resume; null for nothing. */
    String state();

    @Override
    void close();
}
