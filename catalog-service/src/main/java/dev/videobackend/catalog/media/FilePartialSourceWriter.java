package dev.videobackend.catalog.media;

import dev.videobackend.catalog.error.ConflictException;
import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.error.PayloadTooLargeException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive write access to the partial file of a resumable upload, held until closed: a file lock, so that two
 * chunks for the same upload never interleave, whether they reach this replica or another one on the same volume.
 */
final class FilePartialSourceWriter implements PartialSourceWriter {

    private final FileChannel channel;
    private final FileLock lock;

    private FilePartialSourceWriter(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static FilePartialSourceWriter open(Path partial) {
        FileChannel channel;
        try {
            channel = FileChannel.open(partial, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("The upload's data is gone: it expired, was terminated or completed");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the partial upload " + partial, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            throw closing(channel, new UncheckedIOException("Cannot lock the partial upload " + partial, e));
        }
        if (lock == null) {
            throw closing(channel, new ConflictException("Another request is writing to this upload; retry once it ends"));
        }
        return new FilePartialSourceWriter(channel, lock);
    }

    /** Drops anything past {@code offset} that an earlier, unacknowledged write left, and forces to disk. */
    @Override
    public long append(long offset, InputStream body, long maxBytes) {
        byte[] buffer = new byte[MediaStorage.COPY_BUFFER_BYTES];
        long position = offset;
        try {
            channel.truncate(offset);
            channel.position(offset);
            while (true) {
                int read;
                try {
                    read = body.read(buffer);
                } catch (IOException e) {
                    channel.force(false);
                    throw BodyBrokeOffException.keptUpTo(position, position - offset, e);
                }
                if (read == -1) {
                    break;
                }
                if (position - offset + read > maxBytes) {
                    channel.truncate(offset);
                    throw new PayloadTooLargeException(PAST_LENGTH);
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                while (chunk.hasRemaining()) {
                    position += channel.write(chunk);
                }
            }
            channel.force(false);
            return position;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the partial upload", e);
        }
    }

    /** The file is the state. */
    @Override
    public String state() {
        return null;
    }

    @Override
    public void close() {
        try (channel) {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot release the partial upload", e);
        }
    }

    private static RuntimeException closing(FileChannel channel, RuntimeException failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }
}
