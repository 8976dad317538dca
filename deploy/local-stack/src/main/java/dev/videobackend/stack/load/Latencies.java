package dev.videobackend.stack.load;

import java.util.Arrays;
import java.util.Collection;

/** Recorded latencies in nanoseconds, appended by one thread, then merged and sorted for percentiles. */
final class Latencies {

    private long[] values = new long[4096];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    /** The percentiles of every recorder's values together. */
    static Summary summarize(Collection<Latencies> recorders) {
        long[] all = new long[recorders.stream().mapToInt(recorder -> recorder.size).sum()];
        int at = 0;
        for (Latencies recorder : recorders) {
            System.arraycopy(recorder.values, 0, all, at, recorder.size);
            at += recorder.size;
        }
        Arrays.sort(all);
        return new Summary(all);
    }

    /** Sorted latencies; percentiles by the nearest-rank method, in milliseconds. */
    static final class Summary {
        private final long[] sorted;

        private Summary(long[] sorted) {
            this.sorted = sorted;
        }

        int count() {
            return sorted.length;
        }

        double percentileMillis(double percentile) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(percentile / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
        }

        double maxMillis() {
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
        }
    }
}
