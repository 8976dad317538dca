package dev.videobackend.transcoder.job;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Counts the attempts at each job in {@code .jobs/{jobId}.attempts} under the media directory, so that the count
 * survives a crash or a kill and is shared by every replica mounting the volume. An attempt is recorded, and forced
 * to disk, before its decoding starts: a source that crashes or hangs the process is counted even though the
 * process never gets to report it. Two replicas starting the same job in the same instant (only during a
 * rebalance) may both read the same count; the worst outcome is one attempt more than the maximum.
 */
@ApplicationScoped
class JobAttempts {

    private final Path directory;

    JobAttempts(TranscoderConfig config) {
        this.directory = config.media().root().toAbsolutePath().normalize().resolve(".jobs");
    }

    /** Records one more attempt at the job and returns how many there have been, this one included. */
    int begin(UUID jobId) {
        int attempt = made(jobId) + 1;
        write(jobId, attempt);
        return attempt;
    }

    /** An attempt that a shutdown stopped says nothing about the source: it does not count. */
    void giveBack(UUID jobId) {
        int made = made(jobId);
        if (made <= 1) {
            forget(jobId);
        } else {
            write(jobId, made - 1);
        }
    }

    private void write(UUID jobId, int attempts) {
        Path file = file(jobId);
        try {
            Files.createDirectories(directory);
            Path temporary = directory.resolve("." + jobId + ".attempts.tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(Integer.toString(attempts).getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not record the attempts at job " + jobId + " in " + file, e);
        }
    }

    /** Attempts made so far at the job; 0 if none was recorded. */
    int made(UUID jobId) {
        Path file = file(jobId);
        try {
            return Files.exists(file) ? Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the attempts at job " + jobId + " from " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("The attempts file " + file + " is damaged", e);
        }
    }

    /** The job has ended and its outcome is on the broker: its count is no longer needed. */
    void forget(UUID jobId) {
        try {
            Files.deleteIfExists(file(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the attempts file of job " + jobId, e);
        }
    }

    private Path file(UUID jobId) {
        return directory.resolve(jobId + ".attempts");
    }

    /** Makes the rename itself durable; without it a power loss could bring the old count back. */
    private void forceDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
