package dev.videobackend.transcoder.job;

import org.apache.kafka.common.TopicPartition;

import java.util.UUID;

/**
 * A job stopped, or never started, without an outcome: the process is shutting down, or the job's partition was
 * revoked (another consumer of the group runs it now). Any attempt was given back, and its record must stay
 * unacknowledged ({@link JobFailures}) so that the partition's owner (this instance restarted, or another one) runs
 * it.
 */
class JobHandedBack extends RuntimeException {

    private JobHandedBack(String message, Throwable cause) {
        super(message, cause);
    }

    /** The job stopped, or never started, because the transcoder is shutting down. */
    static JobHandedBack byShutdown(UUID jobId, Throwable cause) {
        return new JobHandedBack("Job " + jobId + " was stopped by the shutdown of the transcoder; it will be"
                + " redelivered", cause);
    }

    /** The job arrived while the transcoder was shutting down, and never started. */
    static JobHandedBack arrivedDuringShutdown(UUID jobId) {
        return new JobHandedBack("Job " + jobId + " arrived while the transcoder was shutting down; it will be"
                + " redelivered", null);
    }

    /** The job's partition was revoked while it ran, or before it started: its new owner runs it. */
    static JobHandedBack byRevocation(UUID jobId, TopicPartition partition, Throwable cause) {
        return new JobHandedBack("Job " + jobId + " was handed back: its partition " + partition + " was revoked,"
                + " and the consumer it went to runs the job", cause);
    }
}
