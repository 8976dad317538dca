package dev.videobackend.catalog.graphql;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** Limits of the GraphQL endpoint (query depth and complexity are SmallRye GraphQL's own properties). */
@ConfigMapping(prefix = "catalog.graphql")
public interface GraphQlConfig {

    /** Largest GraphQL request body; the server-wide limit is sized for video uploads, not for queries. */
    @WithDefault("262144")
    @Min(1024)
    @Max(16 * 1024 * 1024)
    int maxBodyBytes();

    /**
     * How long browsers and shared caches (a CDN) may reuse an anonymous answer to a GET: the longest a change
     * can take to show through them. The catalog's own cache drops stale answers as soon as it hears of a change.
     */
    @WithDefault("5s")
    @DurationMin(seconds = 0)
    @DurationMax(hours = 1)
    Duration httpMaxAge();

    /** Persisted queries ({@code extensions.persistedQuery}) remembered, in bytes of their documents. */
    @WithDefault("4194304")
    @Min(0)
    @Max(256 * 1024 * 1024)
    long persistedQueriesMaxBytes();

    /** GraphQL requests one replica works on at once; more wait their turn, at most {@link #maxQueueWait()}. */
    @WithDefault("64")
    @Min(1)
    @Max(100_000)
    int maxConcurrentRequests();

    /**
     * How long a request may wait for its turn: past it, it is refused with 503 and {@code Retry-After} rather than
     * worked on for a client that has probably given up.
     */
    @WithDefault("1s")
    @DurationMin(millis = 1)
    @DurationMax(minutes = 5)
    Duration maxQueueWait();

    /** What {@code Retry-After} tells a refused client. */
    @WithDefault("1s")
    @DurationMin(seconds = 1)
    @DurationMax(hours = 1)
    Duration retryAfter();

    /** Subscriptions one WebSocket connection may hold open at once. */
    @WithDefault("10")
    @Min(1)
    int maxSubscriptionsPerConnection();

    /** Subscriptions one signed-in user may hold open at once on this replica, over all their connections. */
    @WithDefault("20")
    @Min(1)
    int maxSubscriptionsPerUser();
}
