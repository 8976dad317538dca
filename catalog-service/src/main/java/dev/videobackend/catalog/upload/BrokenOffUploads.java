package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.Problem;
import dev.videobackend.catalog.error.ValidationException;
import dev.videobackend.catalog.media.BodyBrokeOffException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * An upload whose body broke off is the client's doing (a dropped connection, a cancelled transfer), not a server
 * failure: it is answered as a bad request, for a client that is still there, and logged without alarm.
 */
public class BrokenOffUploads {

    private static final Logger LOG = Logger.getLogger(BrokenOffUploads.class);

    @ServerExceptionMapper
    public Response brokeOff(BodyBrokeOffException failure) {
        LOG.infof("An upload broke off after %d bytes: %s", failure.receivedBytes(), failure.getCause().getMessage());
        String detail = failure.resumeOffset().isPresent()
                ? "The chunk broke off; the upload continues from offset " + failure.resumeOffset().getAsLong()
                : "The upload broke off after " + failure.receivedBytes() + " bytes; nothing of it was kept";
        Response.ResponseBuilder response = Response.status(Response.Status.BAD_REQUEST)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(400, ValidationException.CODE, "Bad Request", detail));
        failure.resumeOffset().ifPresent(offset -> response.header("Upload-Offset", offset));
        return response.build();
    }
}
