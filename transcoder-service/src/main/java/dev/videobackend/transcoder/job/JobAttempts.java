package dev.videobackend.transcoder.job;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * Counts the attempts at each job in the record {@code .jobs/{jobId}.attempts} of the job storage (a file under the
 * media directory, or an object in the bucket), so that the count survives a crash or a kill and is shared by every
 * replica. An attempt is recorded durably before its decoding starts: a source that crashes or hangs the process is
 * counted even though the process never gets to report it. Two replicas starting the same job in the same instant
 * (only during a rebalance) may both read the same count; the worst outcome is one attempt more than the maximum.
 */
@ApplicationScoped
class JobAttempts {

    private final JobStorage storage;

    JobAttempts(JobStorage storage) {
        this.storage = storage;
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
        try {
            storage.writeRecord(record(jobId), Integer.toString(attempts));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not record the attempts at job " + jobId + " in " + storage, e);
        }
    }

    /** Attempts made so far at the job; 0 if none was recorded. */
    int made(UUID jobId) {
        String content;
        try {
            content = storage.readRecord(record(jobId)).orElse("0");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the attempts at job " + jobId + " from " + storage, e);
        }
        try {
            return Integer.parseInt(content.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("The attempts record " + record(jobId) + " is damaged", e);
        }
    }

    /** The job has ended and its outcome is on the broker: its count is no longer needed. */
    void forget(UUID jobId) {
        try {
            storage.deleteRecord(record(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the attempts record of job " + jobId, e);
        }
    }

    private static String record(UUID jobId) {
        return ".jobs/" + jobId + ".attempts";
    }
}
