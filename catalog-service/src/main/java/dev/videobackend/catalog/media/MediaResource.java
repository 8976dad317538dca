package dev.videobackend.catalog.media;

import dev.videobackend.catalog.error.ForbiddenException;
import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.error.UnauthenticatedException;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.video.Video;
import dev.videobackend.catalog.video.Visibility;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.PathPart;
import org.jboss.resteasy.reactive.RestPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Serves renditions: {@code GET /media/{videoId}/{jobId}/...} (and {@code HEAD}). A job's files never change once
 * published (a new transcode writes a new job directory), so they are cached for a year, by shared caches too
 * unless the video is private; single byte ranges are served as {@code 206} for players that seek. Whoever may not
 * see the video gets {@code 401} when anonymous and {@code 403} when signed in, before any file is looked at.
 */
@Path(MediaResource.PATH)
public class MediaResource {

    static final String PATH = "/media";
    private static final String PUBLIC_IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String PRIVATE_IMMUTABLE = "private, max-age=31536000, immutable";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "m3u8", "application/vnd.apple.mpegurl",
            "m4s", "video/iso.segment",
            "mp4", "video/mp4",
            "jpg", "image/jpeg",
            "ts", "video/mp2t");

    private final MediaStorage storage;
    private final VideoAccess access;

    MediaResource(MediaStorage storage, VideoAccess access) {
        this.storage = storage;
        this.access = access;
    }

    @GET
    @Path("{path: .+}")
    public Uni<Response> get(@RestPath String path, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam("Range") String range) {
        UUID videoId = videoIdOf(path);
        Caller caller = access.caller();
        return Panache.withSession(() -> Video.<Video>findById(videoId)).map(video -> {
            if (video == null) {
                throw noMedia(path);
            }
            if (!VideoAccess.canView(video, caller)) {
                throw caller.anonymous()
                        ? new UnauthenticatedException("The media of video " + videoId + " needs a bearer token")
                        : new ForbiddenException("The media of video " + videoId + " is not visible to " + caller.name());
            }
            String cacheControl = video.visibility == Visibility.PRIVATE ? PRIVATE_IMMUTABLE : PUBLIC_IMMUTABLE;
            return serve(path, ifNoneMatch, range, cacheControl);
        });
    }

    private Response serve(String path, String ifNoneMatch, String range, String cacheControl) {
        java.nio.file.Path file = storage.rendition(path);
        long length;
        long modified;
        try {
            length = Files.size(file);
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
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
    private static boolean matches(String ifNoneMatch, String tag) {
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
