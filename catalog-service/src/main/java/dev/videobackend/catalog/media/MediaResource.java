package dev.videobackend.catalog.media;

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
import java.util.Locale;
import java.util.Map;

/**
 * Serves renditions: {@code GET /media/{videoId}/{jobId}/{file}}. A job's files never change once published
 * (a new transcode writes a new job directory), so they are cached for a year; single byte ranges are served
 * as {@code 206} for players that seek.
 */
@Path(MediaResource.PATH)
public class MediaResource {

    static final String PATH = "/media";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "mp4", "video/mp4",
            "m4s", "video/iso.segment",
            "m3u8", "application/vnd.apple.mpegurl",
            "jpg", "image/jpeg",
            "ts", "video/mp2t");

    private final MediaStorage storage;

    MediaResource(MediaStorage storage) {
        this.storage = storage;
    }

    @GET
    @Path("{path: .+}")
    public Response get(@RestPath String path, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam("Range") String range) {
        java.nio.file.Path file = storage.rendition(path);
        long length;
        long modified;
        try {
            length = Files.size(file);
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
        String etag = "\"" + Long.toHexString(length) + "-" + Long.toHexString(modified) + "\"";
        if (etag.equals(ifNoneMatch)) {
            return Response.notModified().tag(etag.substring(1, etag.length() - 1)).header(HttpHeaders.CACHE_CONTROL, IMMUTABLE).build();
        }
        Response.ResponseBuilder response;
        ByteRange requested = ByteRange.parse(range, length);
        if (requested == null) {
            response = Response.ok(file);
        } else if (requested.satisfiable()) {
            response = Response.status(Response.Status.PARTIAL_CONTENT)
                    .entity(new PathPart(file, requested.first(), requested.length()))
                    .header("Content-Range", "bytes " + requested.first() + "-" + requested.last() + "/" + length);
        } else {
            return Response.status(Response.Status.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header("Content-Range", "bytes */" + length).build();
        }
        return response.type(contentType(path))
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CACHE_CONTROL, IMMUTABLE)
                .header("Accept-Ranges", "bytes")
                .build();
    }

    private static String contentType(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
