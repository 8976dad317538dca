package dev.videobackend.stack;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartPolicyTest {

    private final RestartPolicy policy = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofMinutes(2));

    @Test
    void theDelayDoublesAtEachCrashUpToTheCap() {
        assertThat(policy.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delay(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(policy.delay(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aLongEnoughRunResetsTheBackOff() {
        assertThat(policy.isStable(Duration.ofMinutes(2))).isTrue();
        assertThat(policy.isStable(Duration.ofSeconds(119))).isFalse();
    }

    @Test
    void aPolicyThatCouldSpinIsRefused() {
        assertThatThrownBy(() -> new RestartPolicy(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RestartPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.delay(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
