package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.video.VideoStatus;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/**
 * The answer to a source upload: stored under this digest (none for a direct upload, whose bytes the catalog never
 * reads), transcode queued as this job.
 */
@Type("UploadAccepted")
public record UploadAccepted(
        @NonNull @Id @Description("The video's id.") String id,
        @NonNull VideoStatus status,
        @NonNull @Id String jobId,
        @NonNull @Description("Bytes (a BigInteger).") long sizeBytes,
        @Description("Hex SHA-256 of the source; absent for a direct upload.") String sha256) {
}
