package dev.videobackend.transcoder.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The equal-quality interpolation of the encoder comparison, on made-up points. */
class EncoderComparisonTest {

    private static final List<double[]> POINTS = List.of(new double[] {200_000, 30}, new double[] {800_000, 34},
            new double[] {400_000, 32});

    @Test
    void interpolatesLinearlyInTheLogarithmOfTheBitrate() {
        EncoderComparison.Bitrate between = EncoderComparison.equalQualityBitrate(POINTS, 33);
        // Halfway between 32 and 34 dB: the geometric mean of 400 and 800 kbit/s.
        assertThat(between.bitsPerSecond()).isCloseTo(Math.sqrt(400_000.0 * 800_000), within(1.0));
        assertThat(between.kilobits()).isEqualTo("566");
        assertThat(between.saving(1_000_000)).isEqualTo("43 %");
    }

    @Test
    void outsideThePointsGivesABound() {
        EncoderComparison.Bitrate better = EncoderComparison.equalQualityBitrate(POINTS, 29);
        assertThat(better.kilobits()).isEqualTo("≤ 200");
        assertThat(better.saving(1_000_000)).isEqualTo("≥ 80 %");
        EncoderComparison.Bitrate worse = EncoderComparison.equalQualityBitrate(POINTS, 35);
        assertThat(worse.kilobits()).isEqualTo("> 800");
        assertThat(worse.saving(1_000_000)).isEqualTo("< 20 %");
    }
}
