package dev.videobackend.catalog.video;

/** The answer to a source upload: stored under this digest, transcode queued as this job. */
public record UploadAccepted(String id, VideoStatus status, String jobId, long sizeBytes, String sha256) {
}
