package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.Problem;
import dev.videobackend.catalog.error.ValidationException;
import dev.videobackend.catalog.media.BodyBrokeOffException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * An upload whose body broke off is the client's doing (a dropped connection, a cancelled transfer), not a server
 * failure: it is answered as a bad request, for a client that is still there, and logged without alarm. A body that
 * stopped sending for {@code catalog.upload.idle-timeout} gets {@code 408 REQUEST_TIMEOUT}, and the connection,
 * whose body is left unread, is closed after the answer.
 */
public class BrokenOffUploads {

    static final String REQUEST_TIMEOUT = "REQUEST_TIMEOUT";
    private static final Logger LOG = Logger.getLogger(BrokenOffUploads.class);

    @ServerExceptionMapper
    public Response brokeOff(BodyBrokeOffException failure) {
        LOG.infof("An upload broke off after %d bytes: %s", failure.receivedBytes(), failure.getCause().getMessage());
        String kept = failure.resumeOffset().isPresent()
                ? "the upload continues from offset " + failure.resumeOffset().getAsLong()
                : "nothing of it was kept";
        Problem problem = failure.idle()
                ? Problem.of(408, REQUEST_TIMEOUT, "Request Timeout", failure.getCause().getMessage() + "; " + kept)
                : Problem.of(400, ValidationException.CODE, "Bad Request", failure.resumeOffset().isPresent()
                        ? "The chunk broke off; " + kept
                        : "The upload broke off after " + failure.receivedBytes() + " bytes; " + kept);
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (failure.idle()) {
            response.header("Connection", "close");
        }
        failure.resumeOffset().ifPresent(offset -> response.header("Upload-Offset", offset));
        return response.build();
    }
}
