package dev.videobackend.catalog.security;

import dev.videobackend.catalog.error.Problem;
import dev.videobackend.catalog.error.RouteProblems;
import dev.videobackend.catalog.error.UnauthenticatedException;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A bearer token that does not verify (bad signature, wrong issuer, expired) is refused before the request runs,
 * on every endpoint; this gives that refusal the same problem body as every other error, instead of an empty 401.
 */
@ApplicationScoped
public class AuthenticationFailures {

    void install(@Observes Router router) {
        router.route().failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        if (context.failure() instanceof AuthenticationFailedException) {
            RouteProblems.send(context, Problem.of(401, UnauthenticatedException.CODE, "Unauthorized",
                    "The bearer token is not valid: malformed, wrongly signed, from another issuer or expired"));
        } else {
            context.next();
        }
    }
}
