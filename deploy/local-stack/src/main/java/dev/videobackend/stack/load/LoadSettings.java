package dev.videobackend.stack.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the catalog load benchmark does, from {@code -Dload.*} system properties. Without {@code load.catalog-url}
 * it starts its own stack; with it, it drives a stack that is already running, which it must then also be told how
 * to reach PostgreSQL (to seed) and Kafka (to send progress events). {@code rates} empty: each scenario's fixed-rate
 * run is at its target's rate; otherwise at each of these rates (a step run, which finds each scenario's knee).
 * {@code scenarios} empty: all of them. {@code restartCatalog}: the catalog is restarted after seeding and the runs
 * start as soon as it reports ready, as a replica added under load is given its share (a stack it starts only).
 * {@code catalogWarmUp}: the catalog's {@code catalog.warm-up.min-requests} in a stack it starts, its default
 * (2000) unless told otherwise, 0 to start without the warm-up (the local stack's own setting).
 */
public record LoadSettings(
        int videos,
        Duration measure,
        Duration warmUp,
        int connections,
        List<Integer> rates,
        List<String> scenarios,
        boolean maxThroughput,
        boolean restartCatalog,
        int catalogWarmUp,
        int progressEventsPerSecond,
        Duration progressDuration,
        Path output,
        Optional<RunningStack> runningStack) {

    /**
     * The coordinates of a stack started elsewhere ({@code deploy/local-stack/run} prints all of them); the
     * uploader's token is the demo uploader's, whose name is {@code uploader}.
     */
    public record RunningStack(URI catalogUrl, String adminToken, String uploaderToken, String uploader,
            String jdbcUrl, String jdbcUser, String jdbcPassword, String kafkaBootstrapServers) {
    }

    public LoadSettings {
        requirePositive("load.videos", videos);
        requirePositive("load.connections", connections);
        rates.forEach(rate -> requirePositive("load.rate", rate));
        requirePositive("load.progress-rate", progressEventsPerSecond);
        if (measure.isZero() || measure.isNegative() || progressDuration.isZero() || progressDuration.isNegative()) {
            throw new IllegalArgumentException("load.seconds and load.progress-seconds must be positive");
        }
        if (restartCatalog && runningStack.isPresent()) {
            throw new IllegalArgumentException("load.restart-catalog needs a stack the benchmark starts itself");
        }
        if (catalogWarmUp < 0) {
            throw new IllegalArgumentException("load.catalog-warm-up must not be negative");
        }
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("load.warmup-seconds must not be negative");
        }
    }

    public static LoadSettings fromSystemProperties() {
        Optional<RunningStack> running = Optional.ofNullable(blankToNull(System.getProperty("load.catalog-url")))
                .map(url -> new RunningStack(URI.create(url),
                        required("load.token"),
                        required("load.uploader-token"),
                        System.getProperty("load.uploader", "demo"),
                        required("load.jdbc-url"),
                        System.getProperty("load.jdbc-user", "postgres"),
                        System.getProperty("load.jdbc-password", ""),
                        required("load.kafka-bootstrap-servers")));
        int seconds = integer("load.seconds", 60);
        return new LoadSettings(
                integer("load.videos", 100_000),
                Duration.ofSeconds(seconds),
                Duration.ofSeconds(integer("load.warmup-seconds", 10)),
                integer("load.connections", 50),
                list("load.rate").stream().map(rate -> parse("load.rate", rate)).toList(),
                list("load.scenarios"),
                Boolean.parseBoolean(System.getProperty("load.max-throughput", "true")),
                Boolean.parseBoolean(System.getProperty("load.restart-catalog", "false")),
                integer("load.catalog-warm-up", 2000),
                integer("load.progress-rate", 5),
                Duration.ofSeconds(integer("load.progress-seconds", seconds)),
                Path.of(System.getProperty("load.output", "target/benchmarks/catalog.md")),
                running);
    }

    private static int integer(String name, int fallback) {
        String value = blankToNull(System.getProperty(name));
        return value == null ? fallback : parse(name, value);
    }

    private static int parse(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }

    /** A comma-separated list; empty when the property is not set. */
    private static List<String> list(String name) {
        String value = blankToNull(System.getProperty(name));
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::strip)
                .filter(item -> !item.isEmpty()).toList();
    }

    private static String required(String name) {
        String value = blankToNull(System.getProperty(name));
        if (value == null) {
            throw new IllegalArgumentException("-D" + name + " is required with -Dload.catalog-url (a running stack)");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
    }
}
