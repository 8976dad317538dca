package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.video.VideoStatus;

/** The answer to a source upload: stored under this digest, transcode queued as this job. */
public record UploadAccepted(String id, VideoStatus status, String jobId, long sizeBytes, String sha256) {
}
