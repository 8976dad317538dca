package dev.videobackend.catalog.error;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/** Problem bodies for refusals made by Vert.x route handlers, before any REST or GraphQL code runs. */
public final class RouteProblems {

    private RouteProblems() {
    }

    public static void send(RoutingContext context, Problem problem) {
        var response = context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.end(Json.encode(problem));
    }
}
