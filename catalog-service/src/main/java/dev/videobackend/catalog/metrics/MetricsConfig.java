package dev.videobackend.catalog.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The catalog's own metrics beside the extensions' (HTTP, pool, Kafka, JVM). */
@ConfigMapping(prefix = "catalog.metrics")
public interface MetricsConfig {

    /**
     * How often the gauges read from the database (videos by status, the outbox, file deletions) are refreshed: a
     * scrape reads the last figures and never queries. Each refresh counts videos by status over the status index.
     */
    @WithDefault("15s")
    Duration refreshInterval();

    /** Whether GraphQL operations are counted by field and outcome (graphql/GraphQlMetrics). */
    @WithDefault("true")
    boolean graphqlOperations();
}
