package dev.videobackend.transcoder.job;

import java.util.UUID;

/**
 * A job stopped, or never started, because the process is shutting down: it has no outcome, any attempt was given
 * back, and its record must stay unacknowledged ({@link JobFailures}) so that an instance still running, or this
 * one restarted, runs it.
 */
class JobStoppedByShutdown extends RuntimeException {

    JobStoppedByShutdown(UUID jobId, Throwable cause) {
        super("Job " + jobId + " was stopped by the shutdown of the transcoder; it will be redelivered", cause);
    }

    /** The job arrived while the transcoder was shutting down, and never started. */
    JobStoppedByShutdown(UUID jobId) {
        super("Job " + jobId + " arrived while the transcoder was shutting down; it will be redelivered");
    }
}
