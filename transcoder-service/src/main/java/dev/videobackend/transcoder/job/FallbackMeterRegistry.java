package dev.videobackend.transcoder.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The registry the transcoder's meters register with in a build without Micrometer
 * ({@code -Dquarkus.micrometer.enabled=false}, the "metrics off" runs of the overhead benchmark in
 * docs/benchmarks.md): a composite of no registries, on which every meter is a no-op. With the extension on (every
 * other build), its own registry replaces this one.
 */
@Singleton
public class FallbackMeterRegistry {

    @Produces
    @Singleton
    @DefaultBean
    MeterRegistry noMeters() {
        return new CompositeMeterRegistry();
    }
}
