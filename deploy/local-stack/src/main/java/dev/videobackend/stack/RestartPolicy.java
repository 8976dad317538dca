package dev.videobackend.stack;

import java.time.Duration;
import java.util.Objects;

/**
 * When a crashed service is started again, as Kubernetes' {@code CrashLoopBackOff} does: after {@code initialDelay},
 * doubled at each crash up to {@code maxDelay}, and back to {@code initialDelay} once a run lasted
 * {@code stableAfter}. A crash loop therefore never spins: it settles at one start per {@code maxDelay}.
 */
public record RestartPolicy(Duration initialDelay, Duration maxDelay, Duration stableAfter) {

    /** Kubernetes starts at 10 s and caps at 5 min; a developer's stack wants its service back sooner. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1),
            Duration.ofMinutes(2));

    public RestartPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(stableAfter, "stableAfter");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, got " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than initialDelay " + initialDelay);
        }
    }

    /**
     * The wait before the next start.
     *
     * @param consecutiveCrashes crashes since the last stable run, this one included (1 for the first)
     */
    public Duration delay(int consecutiveCrashes) {
        if (consecutiveCrashes < 1) {
            throw new IllegalArgumentException("consecutiveCrashes starts at 1, got " + consecutiveCrashes);
        }
        Duration delay = initialDelay;
        for (int i = 1; i < consecutiveCrashes && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) < 0 ? delay : maxDelay;
    }

    /** Whether a run of this length resets the back-off. */
    public boolean isStable(Duration run) {
        return run.compareTo(stableAfter) >= 0;
    }
}
