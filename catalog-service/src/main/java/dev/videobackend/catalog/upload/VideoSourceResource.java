package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.video.VideoIds;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import java.io.InputStream;

/**
 * {@code PUT /api/videos/{id}/source} with the video file as the body. The endpoint is blocking so that Quarkus
 * REST hands it the body as a stream while it arrives, instead of buffering it.
 */
@Path("/api/videos/{id}/source")
public class VideoSourceResource {

    private final SourceUploadService uploads;
    private final VideoAccess access;

    VideoSourceResource(SourceUploadService uploads, VideoAccess access) {
        this.uploads = uploads;
        this.access = access;
    }

    @PUT
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    public UploadAccepted upload(@RestPath String id, @RestHeader("Content-Length") Long contentLength,
            InputStream body) {
        return uploads.upload(VideoIds.parse(id), access.caller(), contentLength, body);
    }
}
