package dev.videobackend.stack.soak;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one soak run does, from system properties ({@code -Dsoak.jobs=...}), each with a default.
 *
 * @param jobs        consecutive jobs ({@code soak.jobs}, 100)
 * @param warmUp      the job after which memory is the baseline ({@code soak.warm-up}, 10)
 * @param width       width of the generated clip ({@code soak.width}, 640)
 * @param height      height of the generated clip ({@code soak.height}, 360)
 * @param seconds     length of the generated clip ({@code soak.seconds}, 3)
 * @param jobTimeout  longest wait for one job's final event ({@code soak.job-timeout}, ISO-8601, PT10M)
 * @param output      where the CSV, the summary, the data and the transcoder's log go ({@code soak.output})
 * @param transcoder  the packaged transcoder, {@code quarkus-run.jar} ({@code transcoder.app})
 */
record SoakSettings(int jobs, int warmUp, int width, int height, double seconds, Duration jobTimeout, Path output,
        Path transcoder) {

    SoakSettings {
        if (warmUp < 1 || jobs <= warmUp) {
            throw new IllegalArgumentException("soak.jobs (" + jobs + ") must be larger than soak.warm-up (" + warmUp
                    + "), which must be at least 1");
        }
        if (seconds <= 0 || jobTimeout.isNegative() || jobTimeout.isZero()) {
            throw new IllegalArgumentException("soak.seconds and soak.job-timeout must be positive");
        }
    }

    static SoakSettings fromSystemProperties() {
        String transcoder = System.getProperty("transcoder.app");
        if (transcoder == null || transcoder.isBlank()) {
            throw new IllegalArgumentException("transcoder.app must name the transcoder's quarkus-run.jar");
        }
        return new SoakSettings(
                Integer.parseInt(System.getProperty("soak.jobs", "100")),
                Integer.parseInt(System.getProperty("soak.warm-up", "10")),
                Integer.parseInt(System.getProperty("soak.width", "640")),
                Integer.parseInt(System.getProperty("soak.height", "360")),
                Double.parseDouble(System.getProperty("soak.seconds", "3")),
                Duration.parse(System.getProperty("soak.job-timeout", "PT10M")),
                Path.of(System.getProperty("soak.output", "target/soak")).toAbsolutePath(),
                Path.of(transcoder).toAbsolutePath());
    }

    String describe() {
        return String.format("%d jobs of a %dx%d %.1f s clip with audio, baseline after job %d", jobs, width, height,
                seconds, warmUp);
    }
}
