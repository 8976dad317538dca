package dev.videobackend.catalog.graphql;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** The reads a replica answers itself before it reports ready ({@link WarmUp}). */
@ConfigMapping(prefix = "catalog.warm-up")
public interface WarmUpConfig {

    /**
     * The fewest anonymous reads the replica sends its own HTTP listener before it reports ready; 0 turns the warm-up
     * off. Past them it goes on until the JIT has settled ({@link #settledCompileTime()}).
     */
    @WithDefault("2000")
    @Min(0)
    @Max(1_000_000)
    int minRequests();

    /** Reads in flight at once: a few, so that the warm-up compiles the code without queueing behind itself. */
    @WithDefault("4")
    @Min(1)
    @Max(64)
    int concurrency();

    /**
     * The JIT counts as settled, and the warm-up ends, once it has compiled for less than this during one second
     * of reads (summed over its compiler threads). Without a JIT (a native executable) the minimum alone counts.
     */
    @WithDefault("50ms")
    @DurationMin(millis = 1)
    @DurationMax(seconds = 10)
    Duration settledCompileTime();

    /**
     * Counted from start-up: past it the replica reports ready however many reads are left, so that a slow warm-up
     * (a cold database, a throttled CPU) delays a replica but never keeps it out of service.
     */
    @WithDefault("90s")
    @DurationMin(seconds = 1)
    @DurationMax(minutes = 10)
    Duration timeLimit();
}
