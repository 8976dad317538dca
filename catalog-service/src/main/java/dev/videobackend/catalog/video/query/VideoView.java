package dev.videobackend.catalog.video.query;

import dev.videobackend.catalog.security.Visibility;
import dev.videobackend.catalog.video.VideoStatus;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import java.time.Instant;
import java.util.List;

/** A video as the API shows it: a read-only projection of its row and renditions (see {@link VideoProjection}). */
@Type("Video")
public record VideoView(
        @NonNull @Id String id,
        @NonNull @Description("Unique URL name; see videoBySlug.") String slug,
        @NonNull String title,
        @NonNull String description,
        @NonNull String category,
        @NonNull List<@NonNull String> tags,
        @NonNull @Description("The user name of the uploader who created it.") String owner,
        @NonNull Visibility visibility,
        @NonNull VideoStatus status,
        @Description("The uploaded original, once there is one.") Source source,
        @Description("What players load, once the video is READY.") MediaLinks media,
        @NonNull @Description("HLS media playlists, one per rung of the ladder, highest first.")
        List<@NonNull RenditionView> renditions,
        @Description("The last progress the transcoder reported for the current job.") Progress progress,
        @Description("Why the last transcode failed; absent unless the status is FAILED.") Failure failure,
        @NonNull @Description("Transcode jobs requested so far (uploads and retranscodes).") int transcodeAttempts,
        @NonNull @Description("PUT the source file here.") String uploadUrl,
        @NonNull Instant createdAt,
        @NonNull Instant updatedAt,
        @NonNull @Description("Increases with every change; pass it to updateVideo as expectedVersion.") int version) {

    @Type("VideoSource")
    public record Source(
            @NonNull @Description("Bytes (a BigInteger: may pass 2^31).") long sizeBytes,
            @Description("Hex SHA-256; absent for a direct upload, whose bytes the catalog never reads.") String sha256,
            String container,
            String videoCodec,
            String audioCodec,
            Integer width,
            Integer height,
            Double durationSeconds,
            Double frameRate,
            @Description("Display rotation in degrees clockwise; the renditions are upright.") Integer rotation,
            String pixelFormat,
            Boolean interlaced,
            Boolean variableFrameRate,
            String audioChannelLayout) {
    }

    @Type("MediaUrls")
    public record MediaLinks(
            @NonNull @Description("The HLS master playlist.") String hls,
            @Description("A still frame (JPEG).") Image poster,
            @Description("A small progressive MP4 for clients without HLS.") Progressive progressive,
            @Description("The audio shared by every rung; absent when the source has none.") Audio audio,
            @Description("Thumbnails for scrubbing; absent when the transcode made none.") Storyboard storyboard) {
    }

    @Type("Storyboard")
    @Description("Scrubbing thumbnails: a WebVTT track whose cues point into JPEG sprite sheets "
            + "(sprite-001.jpg#xywh=x,y,w,h, relative to the track's URL).")
    public record Storyboard(
            @NonNull @Description("The WebVTT track (text/vtt).") String url,
            @NonNull @Description("Seconds between two thumbnails, from the start.") double intervalSeconds,
            @NonNull int tileWidth,
            @NonNull int tileHeight,
            @NonNull @Description("Thumbnails per row of a sprite sheet.") int columns,
            @NonNull @Description("Rows of thumbnails per sprite sheet.") int rows,
            @NonNull @Description("Thumbnails in all; the last sheet's unused tiles are black.") int thumbnails,
            @NonNull @Description("The sprite sheets (JPEG), in order.") List<Image> sprites) {
    }

    @Type("Image")
    public record Image(@NonNull String url, Integer width, Integer height) {
    }

    @Type("ProgressiveMp4")
    public record Progressive(
            @NonNull String url,
            Integer width,
            Integer height,
            String videoCodec,
            String audioCodec,
            @Description("Bits per second.") Integer bitrate,
            @Description("Bytes (a BigInteger: may pass 2^31).") Long sizeBytes,
            Double durationSeconds) {
    }

    @Type("AudioTrack")
    public record Audio(
            @NonNull @Description("The audio's HLS media playlist.") String url,
            String codec,
            @Description("RFC 6381 codec string.") String codecs,
            Integer channels,
            Integer sampleRate,
            @Description("Bits per second.") Integer bitrate,
            @Description("Bytes (a BigInteger: may pass 2^31).") Long sizeBytes,
            Double durationSeconds) {
    }

    @Type("Rendition")
    public record RenditionView(
            @NonNull int height,
            @NonNull int width,
            @NonNull String videoCodec,
            @Description("RFC 6381 codec string, as in the master playlist.") String codecs,
            Double frameRate,
            @NonNull @Description("Peak bits per second of a segment, measured.") int bitrate,
            @Description("Average bits per second, measured.") Integer averageBitrate,
            @NonNull String mimeType,
            @NonNull @Description("Bytes (a BigInteger: may pass 2^31).") long sizeBytes,
            @NonNull double durationSeconds,
            @NonNull @Description("The rung's HLS media playlist.") String url) {
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
            @Description("Which attempt at the job the transcoder is making (1 first).") Integer attempt,
            @NonNull Instant updatedAt) {
    }

    @Type("TranscodeFailure")
    public record Failure(@NonNull String code, @NonNull String message) {
    }
}
