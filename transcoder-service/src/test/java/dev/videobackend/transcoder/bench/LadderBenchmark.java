package dev.videobackend.transcoder.bench;

import org.junit.jupiter.api.Test;

/**
 * The entry point of {@code ./mvnw -Pbench-ladder -pl transcoder-service -am verify}: the profile runs this class
 * alone, in a JVM of its own, with the {@code -Dbench.*} parameters of the command line. Not a test: its name
 * matches none of the patterns of the ordinary test runs.
 */
class LadderBenchmark {

    /** {@code -Dbench.suite=encoders} compares the encoders and modes ({@link EncoderComparison}) instead. */
    @Test
    void run() {
        BenchParameters parameters = BenchParameters.fromSystemProperties();
        if ("encoders".equals(System.getProperty("bench.suite", "ladder"))) {
            new EncoderComparison(parameters).run();
        } else {
            new LadderBenchmarkRunner(parameters).run();
        }
    }
}
