package dev.videobackend.catalog.video.query;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** The in-memory cache of anonymous answers ({@link ReadCache}). */
@ConfigMapping(prefix = "catalog.read-cache")
public interface ReadCacheConfig {

    /** Whether anonymous answers are kept at all. */
    @WithDefault("true")
    boolean enabled();

    /** Heap the kept answers may take, in bytes; the least used go first beyond it. */
    @WithDefault("33554432")
    @Min(0)
    @Max(1L << 32)
    long maxBytes();

    /**
     * The longest an answer is kept. Changes drop the answers they make stale as soon as their notification
     * arrives; this only bounds how long an answer can outlive a change whose notification was lost.
     */
    @WithDefault("60s")
    @DurationMin(seconds = 1)
    @DurationMax(hours = 24)
    Duration timeToLive();
}
