package dev.videobackend.transcoder.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The Bjøntegaard delta rate (VCEG-M33): how many more or fewer bits one encoder needs than a reference for the same
 * quality, on average over the qualities both reach. Each curve's logarithm of the bitrate is fitted as a polynomial
 * of the quality (least squares, cubic from four points, of degree one less than the points below that), both fits
 * are integrated over the interval of quality the two curves share, and the mean difference of the logarithms is
 * turned back into a ratio. Where the curves share no quality there is nothing to compare: no result, rather than an
 * extrapolation. Beside it, the same with each curve interpolated linearly between its points instead of fitted: a
 * cubic through four points of a jumpy curve can swing far from them, and where the two figures part, neither
 * should be trusted.
 */
final class BjontegaardDelta {

    /** One measured point of a rate-quality curve. */
    record Point(double bitsPerSecond, double quality) {
    }

    /**
     * A BD-rate: {@code percent} more bits than the reference (negative: fewer), averaged over the shared qualities
     * {@code lowQuality} to {@code highQuality}; {@code piecewisePercent} the same from the interpolated curves.
     */
    record Result(double percent, double piecewisePercent, double lowQuality, double highQuality) {
    }

    private static final int MAX_DEGREE = 3;

    private BjontegaardDelta() {
    }

    /**
     * The BD-rate of {@code test} against {@code reference}; empty when their qualities do not overlap, or when a
     * curve has one quality only (a flat curve, e.g. content every point encodes perfectly).
     */
    static Optional<Result> rate(List<Point> reference, List<Point> test) {
        if (distinctQualities(reference) < 2 || distinctQualities(test) < 2) {
            return Optional.empty();
        }
        double low = Math.max(minQuality(reference), minQuality(test));
        double high = Math.min(maxQuality(reference), maxQuality(test));
        if (!(high > low)) {
            return Optional.empty();
        }
        double fitted = (Polynomial.fit(test).integral(low, high) - Polynomial.fit(reference).integral(low, high))
                / (high - low);
        double interpolated = (piecewiseIntegral(test, low, high) - piecewiseIntegral(reference, low, high))
                / (high - low);
        return Optional.of(new Result(percent(fitted), percent(interpolated), low, high));
    }

    private static double percent(double meanLogDifference) {
        return 100 * (Math.pow(10, meanLogDifference) - 1);
    }

    /** The integral of log10(bitrate) from {@code low} to {@code high}, linear in the quality between the points. */
    private static double piecewiseIntegral(List<Point> curve, double low, double high) {
        List<Point> byQuality = curve.stream().sorted(Comparator.comparingDouble(Point::quality)).toList();
        double sum = 0;
        for (int i = 1; i < byQuality.size(); i++) {
            Point from = byQuality.get(i - 1);
            Point to = byQuality.get(i);
            double a = Math.max(low, from.quality());
            double b = Math.min(high, to.quality());
            if (b > a) {
                sum += (b - a) * (logRateAt(from, to, a) + logRateAt(from, to, b)) / 2;
            }
        }
        return sum;
    }

    private static double logRateAt(Point from, Point to, double quality) {
        double share = (quality - from.quality()) / (to.quality() - from.quality());
        return Math.log10(from.bitsPerSecond()) + share * (Math.log10(to.bitsPerSecond())
                - Math.log10(from.bitsPerSecond()));
    }

    /** Whether quality rises with the bitrate along the curve: a fit through a curve that does not is suspect. */
    static boolean monotonic(List<Point> curve) {
        List<Point> byRate = curve.stream().sorted(Comparator.comparingDouble(Point::bitsPerSecond)).toList();
        for (int i = 1; i < byRate.size(); i++) {
            if (byRate.get(i).quality() < byRate.get(i - 1).quality()) {
                return false;
            }
        }
        return true;
    }

    private static long distinctQualities(List<Point> curve) {
        return curve.stream().mapToDouble(Point::quality).distinct().count();
    }

    static double minQuality(List<Point> curve) {
        return curve.stream().mapToDouble(Point::quality).min().orElseThrow();
    }

    static double maxQuality(List<Point> curve) {
        return curve.stream().mapToDouble(Point::quality).max().orElseThrow();
    }

    /**
     * log10(bitrate) as a polynomial of the quality, in powers of (quality - center) so that the normal equations
     * stay well conditioned at qualities of 30 to 60 dB.
     */
    private record Polynomial(double center, double[] coefficients) {

        static Polynomial fit(List<Point> curve) {
            // n distinct qualities determine a polynomial of degree n - 1 at most.
            int terms = (int) Math.min(MAX_DEGREE, distinctQualities(curve) - 1) + 1;
            double center = curve.stream().mapToDouble(Point::quality).average().orElseThrow();
            // Normal equations: sum over the points of x^(i+j) times the coefficients = sum of x^i times y.
            double[][] system = new double[terms][terms + 1];
            for (Point point : curve) {
                double x = point.quality() - center;
                double y = Math.log10(point.bitsPerSecond());
                for (int i = 0; i < terms; i++) {
                    for (int j = 0; j < terms; j++) {
                        system[i][j] += Math.pow(x, i + j);
                    }
                    system[i][terms] += Math.pow(x, i) * y;
                }
            }
            return new Polynomial(center, solve(system));
        }

        /** The integral from {@code from} to {@code to}. */
        double integral(double from, double to) {
            return antiderivative(to - center) - antiderivative(from - center);
        }

        private double antiderivative(double x) {
            double sum = 0;
            for (int i = 0; i < coefficients.length; i++) {
                sum += coefficients[i] * Math.pow(x, i + 1) / (i + 1);
            }
            return sum;
        }

        /** Gaussian elimination with partial pivoting of an augmented matrix. */
        private static double[] solve(double[][] system) {
            int n = system.length;
            for (int column = 0; column < n; column++) {
                int pivot = column;
                for (int row = column + 1; row < n; row++) {
                    if (Math.abs(system[row][column]) > Math.abs(system[pivot][column])) {
                        pivot = row;
                    }
                }
                if (Math.abs(system[pivot][column]) < 1e-12) {
                    throw new IllegalArgumentException("The points do not determine a curve (equal qualities?)");
                }
                double[] swap = system[column];
                system[column] = system[pivot];
                system[pivot] = swap;
                for (int row = column + 1; row < n; row++) {
                    double factor = system[row][column] / system[column][column];
                    for (int k = column; k <= n; k++) {
                        system[row][k] -= factor * system[column][k];
                    }
                }
            }
            double[] solution = new double[n];
            for (int row = n - 1; row >= 0; row--) {
                double sum = system[row][n];
                for (int k = row + 1; k < n; k++) {
                    sum -= system[row][k] * solution[k];
                }
                solution[row] = sum / system[row][row];
            }
            return solution;
        }
    }
}
