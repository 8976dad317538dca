package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.error.PayloadTooLargeException;
import dev.videobackend.catalog.error.Problem;
import dev.videobackend.catalog.error.RouteProblems;
import dev.videobackend.catalog.error.ValidationException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a GraphQL POST whose body is over {@code catalog.graphql.max-body-bytes} before any of it is read:
 * {@code 413} when its {@code Content-Length} says so, {@code 411} when it has none (a chunked body could
 * otherwise grow up to the server-wide limit, which is sized for video uploads).
 */
@ApplicationScoped
public class GraphQlBodyLimit {

    /** Before the body handler and the GraphQL route; the other handlers of the endpoint come after it. */
    static final int ORDER = Integer.MIN_VALUE + 100;

    private final GraphQlConfig config;

    GraphQlBodyLimit(GraphQlConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, "/graphql").order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            refuse(context, Problem.of(411, "LENGTH_REQUIRED", "Length Required",
                    "A GraphQL request needs a Content-Length header"));
            return;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            refuse(context, Problem.of(400, ValidationException.CODE, "Bad Request", "Content-Length is not a number"));
            return;
        }
        if (bytes > config.maxBodyBytes()) {
            refuse(context, Problem.of(413, PayloadTooLargeException.CODE, "Content Too Large",
                    "A GraphQL request may have at most " + config.maxBodyBytes() + " bytes"));
            return;
        }
        context.next();
    }

    private static void refuse(RoutingContext context, Problem problem) {
        // the body is left unread: close the connection rather than drain it
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        RouteProblems.send(context, problem);
    }
}
