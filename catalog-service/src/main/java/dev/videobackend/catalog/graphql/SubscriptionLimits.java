package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.error.QuotaExceededException;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.UserId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the subscriptions open at once per WebSocket connection and per signed-in user, on this replica: each
 * change of a video is read again once per subscriber, so subscriptions are the cheapest way to make the catalog
 * work. (Anonymous subscribers are capped per connection; how many connections one client opens is the ingress's
 * business.) A subscription over a cap is refused with {@code QUOTA_EXCEEDED}.
 */
@ApplicationScoped
@Startup // its gauge is scraped before the first subscription
public class SubscriptionLimits {

    private final GraphQlConfig config;
    private final CurrentVertxRequest request;
    private final Map<HttpConnection, Integer> perConnection = new ConcurrentHashMap<>();
    private final Map<UserId, Integer> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    SubscriptionLimits(GraphQlConfig config, CurrentVertxRequest request, MeterRegistry registry) {
        this.config = config;
        this.request = request;
        Gauge.builder("catalog.subscriptions.active", open, AtomicInteger::get)
                .description("GraphQL subscriptions open on this replica").register(registry);
    }

    /** A slot for one more subscription of the caller on the current connection; close it when the stream ends. */
    public Permit open(Caller caller) {
        RoutingContext current = request.getCurrent();
        HttpConnection connection = current == null ? null : current.request().connection();
        if (connection != null && !take(perConnection, connection, config.maxSubscriptionsPerConnection())) {
            throw new QuotaExceededException("At most " + config.maxSubscriptionsPerConnection()
                    + " subscriptions may be open on one connection (catalog.graphql.max-subscriptions-per-connection)");
        }
        UserId user = caller.id();
        if (user != null && !take(perUser, user, config.maxSubscriptionsPerUser())) {
            release(perConnection, connection);
            throw new QuotaExceededException("At most " + config.maxSubscriptionsPerUser()
                    + " subscriptions of one user may be open at once (catalog.graphql.max-subscriptions-per-user)");
        }
        open.incrementAndGet();
        return new Permit(this, connection, user);
    }

    private static <K> boolean take(Map<K, Integer> counts, K key, int max) {
        boolean[] taken = {false};
        counts.compute(key, (ignored, count) -> {
            int current = count == null ? 0 : count;
            taken[0] = current < max;
            return taken[0] ? current + 1 : count;
        });
        return taken[0];
    }

    private static <K> void release(Map<K, Integer> counts, K key) {
        if (key != null) {
            counts.computeIfPresent(key, (ignored, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** One open subscription's slot; closing it twice frees it once. */
    public static final class Permit {

        private final SubscriptionLimits limits;
        private final HttpConnection connection;
        private final UserId user;
        private boolean closed;

        private Permit(SubscriptionLimits limits, HttpConnection connection, UserId user) {
            this.limits = limits;
            this.connection = connection;
            this.user = user;
        }

        public synchronized void close() {
            if (!closed) {
                closed = true;
                limits.open.decrementAndGet();
                release(limits.perConnection, connection);
                release(limits.perUser, user);
            }
        }
    }
}
