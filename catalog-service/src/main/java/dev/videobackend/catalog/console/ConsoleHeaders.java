package dev.videobackend.catalog.console;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A strict Content-Security-Policy and the usual hardening headers on the console's pages and scripts: scripts and
 * styles only from this origin (no inline code, no eval), requests only to this origin (HTTP and WebSocket) and the
 * configured identity provider and media origin, media also from {@code blob:} (Media Source Extensions), and no
 * framing. The API's own responses, and the GraphQL explorer under {@code /q/}, are left as they are.
 */
@ApplicationScoped
public class ConsoleHeaders {

    /** Before the static resources and the REST routes. */
    private static final int ORDER = Integer.MIN_VALUE + 200;

    private final String policy;

    ConsoleHeaders(ConsoleSettings settings) {
        this.policy = policy(String.join(" ", settings.otherOrigins()));
    }

    static String policy(String otherOrigins) {
        String others = otherOrigins.isEmpty() ? "" : " " + otherOrigins;
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:" + others
                + "; media-src 'self' blob:" + others + "; connect-src 'self'" + others
                + "; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::addHeaders);
    }

    private void addHeaders(RoutingContext context) {
        HttpMethod method = context.request().method();
        if ((method == HttpMethod.GET || method == HttpMethod.HEAD) && isConsole(context.normalizedPath())) {
            MultiMap headers = context.response().headers();
            headers.set("Content-Security-Policy", policy);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("X-Frame-Options", "DENY");
        }
        context.next();
    }

    static boolean isConsole(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/console/");
    }
}
