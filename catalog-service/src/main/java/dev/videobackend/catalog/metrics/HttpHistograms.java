package dev.videobackend.catalog.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Fixed latency buckets for HTTP requests, so that Prometheus computes the catalog's p99 over all replicas (the
 * alert's target is 250 ms); few buckets, as each multiplies the series of every route, method and status.
 */
@Singleton
public class HttpHistograms {

    private static final double[] BUCKETS = {
        Duration.ofMillis(10).toNanos(), Duration.ofMillis(25).toNanos(), Duration.ofMillis(50).toNanos(),
        Duration.ofMillis(100).toNanos(), Duration.ofMillis(250).toNanos(), Duration.ofMillis(500).toNanos(),
        Duration.ofSeconds(1).toNanos(), Duration.ofMillis(2500).toNanos(), Duration.ofSeconds(10).toNanos()};

    @Produces
    @Singleton
    MeterFilter httpServerBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(BUCKETS).build().merge(config);
            }
        };
    }
}
