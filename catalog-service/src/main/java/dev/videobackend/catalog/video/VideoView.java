package dev.videobackend.catalog.video;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import java.time.Instant;
import java.util.List;

/** A video as the API shows it; built inside the database session, so nothing is loaded lazily later. */
@Type("Video")
public record VideoView(
        @NonNull @Id String id,
        @NonNull String title,
        @NonNull String description,
        @NonNull String category,
        @NonNull VideoStatus status,
        @Description("The uploaded original, once there is one.") Source source,
        @NonNull @Description("Playable encodings, highest first.") List<@NonNull RenditionView> renditions,
        @Description("The last progress the transcoder reported for the current job.") Progress progress,
        @Description("Why the last transcode failed; absent unless the status is FAILED.") Failure failure,
        @NonNull @Description("PUT the source file here.") String uploadUrl,
        @NonNull Instant createdAt,
        @NonNull Instant updatedAt,
        @NonNull @Description("Increases with every change.") long version) {

    @Type("VideoSource")
    public record Source(
            @NonNull long sizeBytes,
            @NonNull String sha256,
            String container,
            String videoCodec,
            String audioCodec,
            Integer width,
            Integer height,
            Double durationSeconds,
            Double frameRate) {
    }

    @Type("Rendition")
    public record RenditionView(
            @NonNull int height,
            @NonNull int width,
            @NonNull String videoCodec,
            String audioCodec,
            @NonNull @Description("Measured, in bits per second.") long bitrate,
            @NonNull String mimeType,
            @NonNull long sizeBytes,
            @NonNull double durationSeconds,
            @NonNull String url) {
    }

    @Type("TranscodeProgress")
    public record Progress(
            @NonNull @Description("PROBING, ENCODING or PACKAGING.") String stage,
            @NonNull double percent,
            Double framesPerSecond,
            @Description("Encoding speed relative to real time.") Double speed,
            Double etaSeconds,
            Integer renditionsDone,
            Integer renditionsTotal,
            @NonNull Instant updatedAt) {
    }

    @Type("TranscodeFailure")
    public record Failure(@NonNull String code, @NonNull String message) {
    }
}
