package dev.videobackend.stack.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The benchmark's findings as markdown, with PASS or FAIL for each target of issue 5. */
public final class LoadReport {

    static final double GRAPHQL_P99_TARGET_MS = 25;
    static final double PROGRESS_P95_TARGET_MS = 500;
    static final String COMMAND = "./mvnw -Pbench-catalog -pl deploy/local-stack -am -DskipTests verify";

    /** One target and whether it was met. */
    public record Verdict(String target, boolean passed, String measured) {
    }

    private final LoadSettings settings;
    private final String stack;
    private final List<Scenario> scenarios;
    private final Duration seeding;
    private final List<LoadGenerator.Result> results;
    private final ProgressProbe.Result progress;

    LoadReport(LoadSettings settings, String stack, List<Scenario> scenarios, Duration seeding,
            List<LoadGenerator.Result> results, ProgressProbe.Result progress) {
        this.settings = settings;
        this.stack = stack;
        this.scenarios = scenarios;
        this.seeding = seeding;
        this.results = results;
        this.progress = progress;
    }

    public List<Verdict> verdicts() {
        List<Verdict> verdicts = new ArrayList<>();
        for (LoadGenerator.Result result : results) {
            if (result.mode() == LoadGenerator.Mode.FIXED_RATE && !result.scenario().equals("media segment")) {
                double p99 = result.latency().percentileMillis(99);
                verdicts.add(new Verdict(result.scenario() + ": p99 < " + format(GRAPHQL_P99_TARGET_MS) + " ms at "
                        + result.ratePerSecond() + " requests/s", p99 < GRAPHQL_P99_TARGET_MS, format(p99) + " ms"));
            }
        }
        for (LoadGenerator.Result result : results) {
            verdicts.add(new Verdict(result.scenario() + ", " + modeName(result) + ": no errors", result.errors() == 0,
                    result.errors() + " errors, " + result.requests() + " requests answered"));
        }
        double p95 = progress.latency().percentileMillis(95);
        verdicts.add(new Verdict("progress path: p95 < " + format(PROGRESS_P95_TARGET_MS) + " ms, every event seen",
                p95 < PROGRESS_P95_TARGET_MS && progress.received() == progress.sent(),
                format(p95) + " ms, " + progress.received() + " of " + progress.sent() + " seen"));
        return verdicts;
    }

    public boolean passed() {
        return verdicts().stream().allMatch(Verdict::passed);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# The catalog under load\n\n");
        md.append("Run ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" on ").append(machine())
                .append(".\n\n");
        md.append("Command: `").append(COMMAND).append(settingsArguments()).append("`\n\n");
        md.append("Settings: ").append(settings.videos()).append(" seeded videos (seeded in ")
                .append(format(seeding.toMillis() / 1000.0)).append(" s), ").append(settings.connections())
                .append(" HTTP/1.1 keep-alive connections, ").append(settings.warmUp().toSeconds())
                .append(" s warm-up (not recorded) then ").append(settings.measure().toSeconds())
                .append(" s measured per run; fixed rate ").append(settings.ratePerSecond())
                .append(" requests/s, latency from each request's scheduled send time. Stack: ").append(stack)
                .append("; the load generator runs in another JVM on the same machine.\n\n");
        md.append("Scenarios:\n\n");
        scenarios.forEach(scenario -> md.append("- **").append(scenario.name()).append("**: ")
                .append(scenario.description()).append('\n'));
        md.append("\n| Scenario | Mode | Requests | Throughput (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | Errors |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadGenerator.Result result : results) {
            Latencies.Summary latency = result.latency();
            md.append("| ").append(result.scenario()).append(" | ").append(modeName(result)).append(" | ")
                    .append(result.requests()).append(" | ").append(format(result.throughput())).append(" | ")
                    .append(format(latency.percentileMillis(50))).append(" | ")
                    .append(format(latency.percentileMillis(90))).append(" | ")
                    .append(format(latency.percentileMillis(99))).append(" | ")
                    .append(format(latency.maxMillis())).append(" | ").append(result.errors()).append(" |\n");
        }
        results.stream().filter(result -> result.errors() > 0).forEach(result -> {
            md.append("\nErrors of ").append(result.scenario()).append(", ").append(modeName(result)).append(":\n");
            for (Map.Entry<String, Long> kind : result.errorKinds().entrySet()) {
                md.append("- ").append(kind.getValue()).append(" × ").append(kind.getKey()).append('\n');
            }
        });
        Latencies.Summary latency = progress.latency();
        md.append("\nProgress path (TranscodeProgress produced to `video.transcode.events` as the transcoder does, ")
                .append(format(progress.ratePerSecond())).append(" per second, until a `videoProgress` subscriber ")
                .append("over graphql-transport-ws receives it):\n\n");
        md.append("| Events sent | Seen by the subscriber | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        md.append("| ").append(progress.sent()).append(" | ").append(progress.received()).append(" | ")
                .append(format(latency.percentileMillis(50))).append(" | ")
                .append(format(latency.percentileMillis(95))).append(" | ")
                .append(format(latency.percentileMillis(99))).append(" | ")
                .append(format(latency.maxMillis())).append(" |\n");
        md.append("\nTargets:\n\n");
        verdicts().forEach(verdict -> md.append("- ").append(verdict.passed() ? "PASS" : "FAIL").append(": ")
                .append(verdict.target()).append(" (").append(verdict.measured()).append(")\n"));
        return md.toString();
    }

    private static String modeName(LoadGenerator.Result result) {
        return result.mode() == LoadGenerator.Mode.FIXED_RATE ? "fixed " + result.ratePerSecond() + "/s"
                : "max throughput";
    }

    private String settingsArguments() {
        StringBuilder arguments = new StringBuilder();
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(name -> name.startsWith("load.") && !name.equals("load.token")
                        && !name.equals("load.jdbc-password"))
                .forEach(name -> arguments.append(" -D").append(name).append('=').append(System.getProperty(name)));
        return arguments.toString();
    }

    private static String machine() {
        String cpu = "an unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (IOException | UncheckedIOException e) {
            cpu = "an unknown CPU (" + e.getMessage() + ")";
        }
        return Runtime.getRuntime().availableProcessors() + " cores of " + cpu + ", Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }
}
