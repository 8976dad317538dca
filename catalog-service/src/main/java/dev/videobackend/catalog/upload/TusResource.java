package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.UnsupportedMediaException;
import dev.videobackend.catalog.error.ValidationException;
import dev.videobackend.catalog.media.MediaUrls;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.video.VideoIds;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Resumable uploads over the tus 1.0 core protocol with the creation, termination and expiration extensions:
 * {@code POST /api/uploads} creates one for a video (named in {@code Upload-Metadata}), {@code HEAD} tells its
 * offset, {@code PATCH} appends a chunk at that offset, {@code DELETE} abandons it. Blocking, so that chunks
 * stream to disk as they arrive.
 */
@Path(MediaUrls.UPLOADS_PATH)
@TusProtocol
public class TusResource {

    static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    private static final String UPLOAD_OFFSET = "Upload-Offset";
    private static final String UPLOAD_LENGTH = "Upload-Length";
    private static final String UPLOAD_EXPIRES = "Upload-Expires";

    private final ResumableUploadService uploads;
    private final SourceUploadService sources;
    private final MediaUrls urls;
    private final VideoAccess access;

    TusResource(ResumableUploadService uploads, SourceUploadService sources, MediaUrls urls, VideoAccess access) {
        this.uploads = uploads;
        this.sources = sources;
        this.urls = urls;
        this.access = access;
    }

    @OPTIONS
    public Response capabilities() {
        return Response.noContent()
                .header(TusProtocolFilter.TUS_VERSION, TusProtocolFilter.VERSION)
                .header("Tus-Extension", "creation,termination,expiration")
                .header("Tus-Max-Size", sources.maxUploadBytes())
                .build();
    }

    @OPTIONS
    @Path("{id}")
    public Response uploadCapabilities(@RestPath String id) {
        return capabilities();
    }

    @POST
    @Blocking
    public Response create(@RestHeader(UPLOAD_LENGTH) String length, @RestHeader("Upload-Defer-Length") String defer,
            @RestHeader("Upload-Metadata") String metadata) {
        if (defer != null) {
            throw new ValidationException("Upload-Defer-Length is not supported: send Upload-Length");
        }
        String videoId = UploadMetadata.parse(metadata).get(UploadMetadata.VIDEO_ID);
        if (videoId == null) {
            throw new ValidationException("Upload-Metadata must name the video: videoId <base64 of its id>");
        }
        ResumableUploadService.Status created = uploads.create(VideoIds.parse(videoId),
                requireNumber(UPLOAD_LENGTH, length), access.caller());
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, urls.resumableUpload(created.id()))
                .header(UPLOAD_OFFSET, created.offset())
                .header(UPLOAD_EXPIRES, httpDate(created))
                .build();
    }

    @HEAD
    @Path("{id}")
    @Blocking
    public Response status(@RestPath String id) {
        ResumableUploadService.Status status = uploads.status(uploadId(id), access.caller());
        return Response.ok()
                .header(UPLOAD_OFFSET, status.offset())
                .header(UPLOAD_LENGTH, status.length())
                .header(UPLOAD_EXPIRES, httpDate(status))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    @PATCH
    @Path("{id}")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response append(@RestPath String id, @RestHeader(UPLOAD_OFFSET) String offset,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
            @RestHeader(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        if (!isOffsetOctetStream(contentType)) {
            throw new UnsupportedMediaException("A chunk must be sent as Content-Type: " + OFFSET_OCTET_STREAM);
        }
        ResumableUploadService.Status status = uploads.append(uploadId(id), requireNumber(UPLOAD_OFFSET, offset),
                contentLength, body, access.caller());
        Response.ResponseBuilder response = Response.noContent()
                .header(UPLOAD_OFFSET, status.offset())
                .header(UPLOAD_EXPIRES, httpDate(status));
        if (status.accepted() != null) {
            // Not part of tus: what the completed upload queued, as a whole upload reports it.
            response.header("Video-Job-Id", status.accepted().jobId());
        }
        return response.build();
    }

    @DELETE
    @Path("{id}")
    @Blocking
    public Response terminate(@RestPath String id) {
        uploads.terminate(uploadId(id), access.caller());
        return Response.noContent().build();
    }

    private static boolean isOffsetOctetStream(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = parameters < 0 ? contentType : contentType.substring(0, parameters);
        return OFFSET_OCTET_STREAM.equalsIgnoreCase(type.strip());
    }

    private static UUID uploadId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Not an upload id (a UUID): " + id);
        }
    }

    private static long requireNumber(String header, String value) {
        if (value == null) {
            throw new ValidationException("The header " + header + " is required");
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below, with the header's name
        }
        throw new ValidationException(header + " must be a non-negative number of bytes, not " + value);
    }

    private static String httpDate(ResumableUploadService.Status status) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(status.expiresAt().atOffset(ZoneOffset.UTC));
    }
}
