package dev.videobackend.transcoder.job;

import java.util.UUID;

/**
 * A job stopped because the process is shutting down: it has no outcome, its attempt was given back, and its record
 * must stay unacknowledged ({@link JobFailures}) so that an instance still running, or this one restarted, runs it.
 */
class JobStoppedByShutdown extends RuntimeException {

    JobStoppedByShutdown(UUID jobId, Throwable cause) {
        super("Job " + jobId + " was stopped by the shutdown of the transcoder; it will be redelivered", cause);
    }
}
