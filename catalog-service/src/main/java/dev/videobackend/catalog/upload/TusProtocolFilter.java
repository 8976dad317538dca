package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.Problem;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * The tus version handshake: every request but {@code OPTIONS} must name the version it speaks in
 * {@code Tus-Resumable}, else {@code 412} with the versions this server speaks; every such response names it too.
 */
@Provider
@TusProtocol
public class TusProtocolFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String TUS_RESUMABLE = "Tus-Resumable";
    static final String TUS_VERSION = "Tus-Version";
    static final String VERSION = "1.0.0";

    @Override
    public void filter(ContainerRequestContext request) {
        if (HttpMethod.OPTIONS.equals(request.getMethod())) {
            return;
        }
        String version = request.getHeaderString(TUS_RESUMABLE);
        if (!VERSION.equals(version)) {
            String detail = version == null
                    ? "A tus request needs the header Tus-Resumable: " + VERSION
                    : "Tus-Resumable " + version + " is not supported; this server speaks " + VERSION;
            request.abortWith(Response.status(Response.Status.PRECONDITION_FAILED)
                    .header(TUS_VERSION, VERSION)
                    .type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(412, "TUS_VERSION_UNSUPPORTED", "Precondition Failed", detail))
                    .build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            response.getHeaders().putSingle(TUS_RESUMABLE, VERSION);
        }
    }
}
