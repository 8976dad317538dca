package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.ErrorBoundary;
import dev.videobackend.catalog.error.ValidationException;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.upload.DirectUploadService.SentPart;
import dev.videobackend.catalog.upload.DirectUploadService.Started;
import dev.videobackend.catalog.video.VideoIds;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The GraphQL mutations of direct-to-bucket uploads ({@link DirectUploadService}). They talk to the bucket and the
 * database blocking, so they run on a worker thread; the caller is read before.
 */
@GraphQLApi
@ErrorBoundary
public class DirectUploadGraphQlApi {

    private final DirectUploadService uploads;
    private final VideoAccess access;

    DirectUploadGraphQlApi(DirectUploadService uploads, VideoAccess access) {
        this.uploads = uploads;
        this.access = access;
    }

    @Mutation("startDirectUpload")
    @Description("Begins an upload of the video's source straight to the bucket (owner or admin; media on S3 only, "
            + "else UNSUPPORTED): PUT each part's bytes to its URL, then call completeDirectUpload with the ETags. "
            + "Refused with PAYLOAD_TOO_LARGE over catalog.media.max-upload-bytes and TOO_MANY_PARTS over "
            + "catalog.storage.s3.direct-upload.max-parts parts.")
    public Uni<@NonNull Started> startDirectUpload(@NonNull @Id @Name("videoId") String videoId,
            @NonNull @Name("size") @Description("The source's size in bytes (a BigInteger).") long size) {
        Caller caller = access.caller();
        return blocking(() -> uploads.start(VideoIds.parse(videoId), size, caller));
    }

    @Mutation("completeDirectUpload")
    @Description("Completes a direct upload and queues the transcode, as an upload with PUT does. Refused with "
            + "SIZE_MISMATCH when the object is not the size declared and UNSUPPORTED_MEDIA when it is not a video "
            + "(both removed), UPLOAD_EXPIRED past its expiry, NOT_FOUND for an upload that is not the caller's or "
            + "not this video's; STORAGE_UNAVAILABLE leaves it to be completed again.")
    public Uni<@NonNull UploadAccepted> completeDirectUpload(@NonNull @Id @Name("videoId") String videoId,
            @NonNull @Id @Name("uploadId") String uploadId,
            @NonNull @Name("parts") List<@NonNull SentPart> parts) {
        Caller caller = access.caller();
        return blocking(() -> uploads.complete(VideoIds.parse(videoId), uploadId(uploadId), parts, caller));
    }

    private static <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static UUID uploadId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Not an upload id (a UUID): " + id);
        }
    }
}
