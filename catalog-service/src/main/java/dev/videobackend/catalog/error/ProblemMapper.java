package dev.videobackend.catalog.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every REST failure leaves as a JSON problem body; nothing leaks a stack trace or a class name. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response refused(CatalogException refusal) {
        Response.Status status = Response.Status.fromStatusCode(refusal.httpStatus());
        // JAX-RS names no status past 505; 507 is WebDAV's.
        String title = status != null ? status.getReasonPhrase() : "Insufficient Storage";
        return respond(Problem.of(refusal.httpStatus(), refusal.code(), title, refusal.getMessage()));
    }

    private static Response respond(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 401) {
            // RFC 9110: a 401 names the scheme that would be accepted.
            response.header("WWW-Authenticate", "Bearer");
        }
        if (UnavailableException.CODE.equals(problem.code())) {
            response.header("Retry-After", UnavailableException.RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException failure) {
        int status = failure.getResponse().getStatus();
        String reason = failure.getResponse().getStatusInfo().getReasonPhrase();
        if (status >= 500) {
            LOG.error("Request failed", failure);
            return respond(Problem.of(status, "INTERNAL", reason, "The server could not complete the request."));
        }
        return respond(Problem.of(status, codeFor(status), reason, failure.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception failure) {
        if (UnavailableException.isCause(failure)) {
            LOG.warnf("Request refused: the database is unreachable (%s)", failure);
            return refused(new UnavailableException());
        }
        if (InsufficientStorageException.isCause(failure)) {
            LOG.errorf("Upload refused: the media storage is full (%s)", failure);
            return refused(new InsufficientStorageException());
        }
        LOG.error("Request failed", failure);
        return respond(Problem.of(500, "INTERNAL", "Internal Server Error", "The server could not complete the request."));
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> ValidationException.CODE;
            case 401 -> UnauthenticatedException.CODE;
            case 403 -> ForbiddenException.CODE;
            case 404 -> NotFoundException.CODE;
            case 409 -> ConflictException.CODE;
            case 413 -> PayloadTooLargeException.CODE;
            case 415 -> UnsupportedMediaException.CODE;
            case 429 -> QuotaExceededException.CODE;
            default -> "HTTP_" + status;
        };
    }
}
