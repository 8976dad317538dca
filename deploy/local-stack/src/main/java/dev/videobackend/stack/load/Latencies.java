package dev.videobackend.stack.load;

import org.HdrHistogram.Histogram;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Latencies recorded by one thread into an HdrHistogram (microsecond units, three significant digits, up to ten
 * minutes), then merged for percentiles: the figures compare with those of other HdrHistogram-based tools.
 */
final class Latencies {

    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);

    void add(long nanos) {
        histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos))));
    }

    /** The percentiles of every recorder's values together. */
    static Summary summarize(Collection<Latencies> recorders) {
        Histogram all = new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
        recorders.forEach(recorder -> all.add(recorder.histogram));
        return new Summary(all);
    }

    /** Percentiles as HdrHistogram reports them (the value at or below which the percentile falls), in ms. */
    static final class Summary {
        private final Histogram histogram;

        private Summary(Histogram histogram) {
            this.histogram = histogram;
        }

        long count() {
            return histogram.getTotalCount();
        }

        double percentileMillis(double percentile) {
            return count() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxMillis() {
            return count() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
        }
    }
}
