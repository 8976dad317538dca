package dev.videobackend.transcoder.bench;

import dev.videobackend.transcoder.bench.BjontegaardDelta.Point;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The BD-rate arithmetic, on curves whose answer can be checked by hand. */
class BjontegaardDeltaTest {

    /** A made-up encoder's curve, bent as real ones are: quality rises ever more slowly with the bitrate. */
    private static final List<Point> REFERENCE = List.of(new Point(400_000, 30.1), new Point(560_000, 32.0),
            new Point(800_000, 33.6), new Point(1_120_000, 34.8));

    @Test
    void theSameQualityForAConstantShareOfTheBitsIsExactlyThatShare() {
        // 20 % fewer bits at every quality: the logarithms differ by log10(0.8) everywhere, whatever the fit.
        List<Point> better = scaled(REFERENCE, 0.8);
        BjontegaardDelta.Result result = BjontegaardDelta.rate(REFERENCE, better).orElseThrow();
        assertThat(result.percent()).isCloseTo(-20.0, within(1e-9));
        assertThat(result.piecewisePercent()).isCloseTo(-20.0, within(1e-9));
        assertThat(result.lowQuality()).isEqualTo(30.1);
        assertThat(result.highQuality()).isEqualTo(34.8);
        assertThat(BjontegaardDelta.rate(better, REFERENCE).orElseThrow().percent()).isCloseTo(25.0, within(1e-9));
        assertThat(BjontegaardDelta.rate(REFERENCE, REFERENCE).orElseThrow().percent()).isCloseTo(0, within(1e-9));
    }

    @Test
    void onlyTheSharedQualitiesCount() {
        // log10(rate) linear in quality, the test curve 1 dB better at every rate: 10^-0.1 - 1 = -20.57 % of the
        // bits, over the 31-34 dB both reach, though their points differ in number and place.
        DoubleUnaryOperator reference = quality -> Math.pow(10, 4 + 0.1 * quality);
        DoubleUnaryOperator test = quality -> Math.pow(10, 4 + 0.1 * (quality - 1));
        List<Point> referenceCurve = List.of(new Point(reference.applyAsDouble(28), 28),
                new Point(reference.applyAsDouble(31), 31), new Point(reference.applyAsDouble(34), 34));
        List<Point> testCurve = List.of(new Point(test.applyAsDouble(31), 31), new Point(test.applyAsDouble(32.5), 32.5),
                new Point(test.applyAsDouble(35), 35), new Point(test.applyAsDouble(37), 37));
        BjontegaardDelta.Result result = BjontegaardDelta.rate(referenceCurve, testCurve).orElseThrow();
        assertThat(result.percent()).isCloseTo(100 * (Math.pow(10, -0.1) - 1), within(1e-9));
        assertThat(result.piecewisePercent()).isCloseTo(100 * (Math.pow(10, -0.1) - 1), within(1e-9));
        assertThat(result.lowQuality()).isEqualTo(31);
        assertThat(result.highQuality()).isEqualTo(34);
    }

    @Test
    void aCubicThroughAJumpyCurvePartsFromItsInterpolation() {
        // A curve whose quality barely moves and then leaps, as an encoder's does when its rate control changes
        // gear: the cubic swings between the points, the interpolation stays on them.
        List<Point> jumpy = List.of(new Point(420_000, 30.2), new Point(600_000, 30.3), new Point(850_000, 30.4),
                new Point(1_200_000, 34.6));
        BjontegaardDelta.Result result = BjontegaardDelta.rate(REFERENCE, jumpy).orElseThrow();
        assertThat(Math.abs(result.percent() - result.piecewisePercent())).isGreaterThan(5);
    }

    @Test
    void curvesThatShareNoQualityGiveNoResult() {
        List<Point> far = List.of(new Point(300_000, 40), new Point(600_000, 42), new Point(900_000, 43));
        assertThat(BjontegaardDelta.rate(REFERENCE, far)).isEmpty();
        // A flat curve (every point the same quality) determines no fit either.
        List<Point> flat = List.of(new Point(300_000, 32), new Point(600_000, 32), new Point(900_000, 32));
        assertThat(BjontegaardDelta.rate(REFERENCE, flat)).isEmpty();
    }

    @Test
    void tellsACurveWhoseQualityFallsAsItsBitrateRises() {
        assertThat(BjontegaardDelta.monotonic(REFERENCE)).isTrue();
        assertThat(BjontegaardDelta.monotonic(List.of(new Point(300_000, 30), new Point(900_000, 29.5),
                new Point(600_000, 31)))).isFalse();
    }

    private static List<Point> scaled(List<Point> curve, double factor) {
        return curve.stream().map(point -> new Point(point.bitsPerSecond() * factor, point.quality())).toList();
    }
}
