package dev.videobackend.stack.load;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LatenciesTest {

    @Test
    void percentilesCoverEveryRecorderToThreeSignificantDigits() {
        Latencies first = new Latencies();
        Latencies second = new Latencies();
        for (int millis = 1; millis <= 100; millis++) {
            (millis % 2 == 0 ? first : second).add(millis * 1_000_000L);
        }
        Latencies.Summary summary = Latencies.summarize(List.of(first, second));

        assertThat(summary.count()).isEqualTo(100);
        assertThat(summary.percentileMillis(50)).isCloseTo(50.0, within(0.05));
        assertThat(summary.percentileMillis(99)).isCloseTo(99.0, within(0.1));
        assertThat(summary.percentileMillis(99.9)).isCloseTo(100.0, within(0.1));
        assertThat(summary.maxMillis()).isCloseTo(100.0, within(0.1));
    }

    @Test
    void noSamplesHaveNoPercentiles() {
        Latencies.Summary summary = Latencies.summarize(List.of(new Latencies()));

        assertThat(summary.count()).isZero();
        assertThat(summary.percentileMillis(99)).isNaN();
    }

    @Test
    void aRunningStackNeedsItsCoordinates() {
        System.setProperty("load.catalog-url", "http://localhost:8080");
        try {
            assertThatThrownBy(LoadSettings::fromSystemProperties)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-Dload.token is required");
        } finally {
            System.clearProperty("load.catalog-url");
        }
    }
}
