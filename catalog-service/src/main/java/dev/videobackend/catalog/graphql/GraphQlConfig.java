package dev.videobackend.catalog.graphql;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Limits of the GraphQL endpoint (query depth and complexity are SmallRye GraphQL's own properties). */
@ConfigMapping(prefix = "catalog.graphql")
public interface GraphQlConfig {

    /** Largest GraphQL request body; the server-wide limit is sized for video uploads, not for queries. */
    @WithDefault("262144")
    @Min(1024)
    @Max(16 * 1024 * 1024)
    int maxBodyBytes();

    /** Subscriptions one WebSocket connection may hold open at once. */
    @WithDefault("10")
    @Min(1)
    int maxSubscriptionsPerConnection();

    /** Subscriptions one signed-in user may hold open at once on this replica, over all their connections. */
    @WithDefault("20")
    @Min(1)
    int maxSubscriptionsPerUser();
}
