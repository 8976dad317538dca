package dev.videobackend.catalog.media;

import dev.videobackend.catalog.error.PayloadTooLargeException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Appends a tus chunk to the multipart upload of a resumable upload: the upload's offset maps onto whole parts
 * plus a tail shorter than a part, kept in an object of its own ({@code {key}.tail}) until
 * the next chunk completes a part with it. One part's buffer is all the memory a chunk holds. Part numbers follow
 * from the offset, so a chunk sent again from an acknowledged offset replaces the parts an unacknowledged one left;
 * what a chunk uploaded counts only once its new state is saved with the offset.
 */
final class S3PartialSourceWriter implements PartialSourceWriter {

    private final S3MediaStorage storage;
    private S3MediaStorage.Multipart multipart;

    S3PartialSourceWriter(S3MediaStorage storage, S3MediaStorage.Multipart multipart) {
        this.storage = storage;
        this.multipart = multipart;
    }

    @Override
    public long append(long offset, InputStream body, long maxBytes) {
        S3MediaStorage.Multipart at = multipart;
        byte[] part = new byte[at.partSize()];
        storage.readTail(at, part);
        int filled = at.tailBytes();
        long position = offset;
        while (true) {
            int read;
            try {
                read = body.read(part, filled, part.length - filled);
            } catch (IOException e) {
                // What arrived is kept: the client resumes from here.
                multipart = storage.keepTail(at, part, filled);
                throw BodyBrokeOffException.keptUpTo(position, position - offset, e);
            }
            if (read == -1) {
                break;
            }
            if (position - offset + read > maxBytes) {
                throw new PayloadTooLargeException(PAST_LENGTH);
            }
            filled += read;
            position += read;
            if (filled == part.length) {
                at = storage.uploadPart(at, part, filled);
                filled = 0;
            }
        }
        multipart = storage.keepTail(at, part, filled);
        return position;
    }

    @Override
    public String state() {
        return multipart.state();
    }

    @Override
    public void close() {
        // Nothing held: chunks sent at once are told apart when their offsets are saved.
    }
}
