package dev.videobackend.catalog.delivery;

import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.media.FilesystemMediaStorage;
import dev.videobackend.catalog.media.MediaFiles;
import dev.videobackend.catalog.media.MediaStorage;
import dev.videobackend.catalog.media.MediaStorageProducer;
import dev.videobackend.catalog.media.MediaUrls;
import dev.videobackend.catalog.media.StorageConfig;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.security.Visibility;
import dev.videobackend.catalog.video.VideoService;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.PathPart;
import org.jboss.resteasy.reactive.RestPath;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Serves renditions: {@code GET /media/{videoId}/{jobId}/...} (and {@code HEAD}). A job's files never change once
 * published (a new transcode writes a new job directory), so they are cached for a year, by shared caches too
 * unless the video is private; single byte ranges are served as {@code 206} for players that seek. The media of a
 * video the caller may not see is as absent as a file that does not exist: {@code 404}, decided before any file is
 * looked at. The file itself is looked at off the event loop ({@link MediaFiles}); an object in a bucket is
 * proxied or redirected to by {@link ObjectDelivery}, on a worker thread.
 */
@Path(MediaUrls.MEDIA_PATH)
public class MediaResource {

    private static final String PUBLIC_IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String PRIVATE_IMMUTABLE = "private, max-age=31536000, immutable";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "m3u8", "application/vnd.apple.mpegurl",
            "m4s", "video/iso.segment",
            "mp4", "video/mp4",
            "jpg", "image/jpeg",
            "vtt", "text/vtt",
            "ts", "video/mp2t");

    private final VideoService videos;
    private final FilesystemMediaStorage directory;
    private final ObjectDelivery objects;
    private final MediaFiles files;
    private final VideoAccess access;

    MediaResource(VideoService videos, MediaStorageProducer storage, StorageConfig config,
            Instance<S3Presigner> presigner, MediaFiles files, VideoAccess access, MediaUrls urls) {
        this.videos = videos;
        this.directory = storage.directory().orElse(null);
        this.objects = storage.bucket().map(bucket -> new ObjectDelivery(bucket, config,
                config.delivery() == StorageConfig.Delivery.REDIRECT ? presigner.get() : null, urls)).orElse(null);
        this.files = files;
        this.access = access;
    }

    @GET
    @Path("{path: .+}")
    public Uni<Response> get(@RestPath String path, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam("Range") String range) {
        UUID videoId = videoIdOf(path);
        Caller caller = access.caller();
        return videos.accessFacts(videoId).chain(video -> {
            if (video == null || !VideoAccess.canView(video, caller)) {
                throw noMedia(path);
            }
            String cacheControl = video.visibility() == Visibility.PRIVATE ? PRIVATE_IMMUTABLE : PUBLIC_IMMUTABLE;
            if (objects != null) {
                String key = MediaStorage.renditionKey(path).orElseThrow(() -> noMedia(path));
                return Uni.createFrom().item(() -> objects.serve(key, video.visibility(), ifNoneMatch, range,
                                cacheControl, contentType(path)).orElseThrow(() -> noMedia(path)))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
            }
            java.nio.file.Path file = directory.rendition(path).orElseThrow(() -> noMedia(path));
            return files.regularFile(file).map(attributes -> serve(path, file,
                    attributes.orElseThrow(() -> noMedia(path)), ifNoneMatch, range, cacheControl));
        });
    }

    private Response serve(String path, java.nio.file.Path file, BasicFileAttributes attributes, String ifNoneMatch,
            String range, String cacheControl) {
        long length = attributes.size();
        long modified = attributes.lastModifiedTime().toMillis();
        String tag = Long.toHexString(length) + "-" + Long.toHexString(modified);
        if (matches(ifNoneMatch, tag)) {
            return Response.notModified().tag(tag).header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
        }
        Response.ResponseBuilder response;
        ByteRange requested = ByteRange.parse(range, length);
        if (requested == null) {
            // Set here too, because a HEAD request, which has no entity to measure, must still tell it.
            response = Response.ok(file).header(HttpHeaders.CONTENT_LENGTH, length);
        } else if (requested.satisfiable()) {
            response = Response.status(Response.Status.PARTIAL_CONTENT)
                    .entity(new PathPart(file, requested.first(), requested.length()))
                    .header(HttpHeaders.CONTENT_LENGTH, requested.length())
                    .header("Content-Range", "bytes " + requested.first() + "-" + requested.last() + "/" + length);
        } else {
            return Response.status(Response.Status.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header("Content-Range", "bytes */" + length).build();
        }
        return response.type(contentType(path))
                .tag(tag)
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header("Accept-Ranges", "bytes")
                .build();
    }

    /** {@code If-None-Match}: {@code *}, or a list of tags, weak ones compared weakly as the RFC asks. */
    static boolean matches(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::strip)
                .map(candidate -> candidate.startsWith("W/") ? candidate.substring(2) : candidate)
                .anyMatch(candidate -> candidate.equals("*") || candidate.equals("\"" + tag + "\""));
    }

    /** The video a media path belongs to: its first segment. */
    private static UUID videoIdOf(String path) {
        int slash = path.indexOf('/');
        try {
            return UUID.fromString(slash < 0 ? path : path.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw noMedia(path);
        }
    }

    private static NotFoundException noMedia(String path) {
        return new NotFoundException("No media at " + path);
    }

    private static String contentType(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
