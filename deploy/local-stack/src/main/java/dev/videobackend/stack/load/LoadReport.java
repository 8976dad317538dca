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
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The benchmark's findings as markdown: every run, what each request cost each part of the machine in CPU time,
 * PASS or FAIL for each target of issues 5 and 13, and each scenario's knee (the highest fixed rate at which it
 * still met its target).
 */
public final class LoadReport {

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
    private final Optional<ProgressProbe.Result> progress;

    LoadReport(LoadSettings settings, String stack, List<Scenario> scenarios, Duration seeding,
            List<LoadGenerator.Result> results, Optional<ProgressProbe.Result> progress) {
        this.settings = settings;
        this.stack = stack;
        this.scenarios = scenarios;
        this.seeding = seeding;
        this.results = results;
        this.progress = progress;
    }

    public List<Verdict> verdicts() {
        List<Verdict> verdicts = new ArrayList<>();
        for (LoadGenerator.Result result : fixedRate()) {
            Optional<Scenario.Target> target = result.scenario().target();
            if (target.isPresent() && target.get().ratePerSecond() == result.ratePerSecond()) {
                double p99 = result.latency().percentileMillis(99);
                verdicts.add(new Verdict(result.scenario().name() + ": p99 < " + format(target.get().p99Millis())
                        + " ms at " + result.ratePerSecond() + " requests/s, no errors",
                        meets(result, target.get()), format(p99) + " ms, " + result.errors() + " errors"));
            } else if (target.isEmpty()) {
                verdicts.add(new Verdict(result.scenario().name() + ", " + modeName(result) + ": no errors",
                        result.errors() == 0, result.errors() + " errors, " + result.requests() + " answered"));
            }
        }
        progress.ifPresent(probe -> {
            double p95 = probe.latency().percentileMillis(95);
            verdicts.add(new Verdict("progress path: p95 < " + format(PROGRESS_P95_TARGET_MS) + " ms, every event seen",
                    p95 < PROGRESS_P95_TARGET_MS && probe.received() == probe.sent(),
                    format(p95) + " ms, " + probe.received() + " of " + probe.sent() + " seen"));
        });
        return verdicts;
    }

    public boolean passed() {
        return verdicts().stream().allMatch(Verdict::passed);
    }

    /** The highest rate of the fixed-rate runs at which the scenario met its target, if any did. */
    Optional<Integer> knee(Scenario scenario) {
        Scenario.Target target = scenario.target().orElseThrow();
        return fixedRate().stream()
                .filter(result -> result.scenario() == scenario && meets(result, target))
                .map(LoadGenerator.Result::ratePerSecond)
                .max(Integer::compare);
    }

    private static boolean meets(LoadGenerator.Result result, Scenario.Target target) {
        return result.errors() == 0 && result.latency().percentileMillis(99) < target.p99Millis();
    }

    private List<LoadGenerator.Result> fixedRate() {
        return results.stream().filter(result -> result.mode() == LoadGenerator.Mode.FIXED_RATE).toList();
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
                .append(" s measured per run; fixed-rate latency counts from each request's scheduled send time; ")
                .append("percentiles from HdrHistogram. Stack: ").append(stack)
                .append("; the load generator runs in another JVM on the same machine.\n\n");
        md.append("Scenarios:\n\n");
        scenarios.forEach(scenario -> md.append("- **").append(scenario.name()).append("**: ")
                .append(scenario.description())
                .append(scenario.target().map(target -> "; target p99 < " + format(target.p99Millis()) + " ms at "
                        + target.ratePerSecond() + " requests/s").orElse("")).append('\n'));
        md.append("\n| Scenario | Mode | Requests | Throughput (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | Errors |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadGenerator.Result result : results) {
            Latencies.Summary latency = result.latency();
            md.append("| ").append(result.scenario().name()).append(" | ").append(modeName(result)).append(" | ")
                    .append(result.requests()).append(" | ").append(format(result.throughput())).append(" | ")
                    .append(format(latency.percentileMillis(50))).append(" | ")
                    .append(format(latency.percentileMillis(90))).append(" | ")
                    .append(format(latency.percentileMillis(99))).append(" | ")
                    .append(format(latency.percentileMillis(99.9))).append(" | ")
                    .append(format(latency.maxMillis())).append(" | ").append(result.errors()).append(" |\n");
        }
        results.stream().filter(result -> result.errors() > 0).forEach(result -> {
            md.append("\nErrors of ").append(result.scenario().name()).append(", ").append(modeName(result))
                    .append(":\n");
            for (Map.Entry<String, Long> kind : result.errorKinds().entrySet()) {
                md.append("- ").append(kind.getValue()).append(" × ").append(kind.getKey()).append('\n');
            }
        });
        cpu(md);
        knees(md);
        progress.ifPresent(probe -> progress(md, probe));
        md.append("\nTargets:\n\n");
        verdicts().forEach(verdict -> md.append("- ").append(verdict.passed() ? "PASS" : "FAIL").append(": ")
                .append(verdict.target()).append(" (").append(verdict.measured()).append(")\n"));
        return md.toString();
    }

    /** CPU milliseconds per answered request, per part, from each run's measured time. */
    private void cpu(StringBuilder md) {
        List<String> parts = results.stream().flatMap(result -> result.cpuSeconds().keySet().stream()).distinct()
                .toList();
        if (parts.isEmpty()) {
            return;
        }
        md.append("\nCPU time per answered request (ms), from `/proc` over each run's measured time (")
                .append(CpuUsage.MACHINE).append(": every process on the machine, so what the parts leave out is ")
                .append("what something else took):\n\n| Scenario | Mode |");
        parts.forEach(part -> md.append(' ').append(part).append(" |"));
        md.append("\n|---|---|");
        parts.forEach(part -> md.append("---:|"));
        md.append('\n');
        for (LoadGenerator.Result result : results) {
            md.append("| ").append(result.scenario().name()).append(" | ").append(modeName(result)).append(" |");
            parts.forEach(part -> md.append(' ').append(format(result.cpuMillisPerRequest(part))).append(" |"));
            md.append('\n');
        }
    }

    private void knees(StringBuilder md) {
        List<Scenario> stepped = scenarios.stream().filter(scenario -> scenario.target().isPresent()
                && fixedRate().stream().filter(result -> result.scenario() == scenario).count() > 1).toList();
        if (stepped.isEmpty()) {
            return;
        }
        md.append("\nKnees (the highest fixed rate that met the scenario's p99 target without errors):\n\n");
        for (Scenario scenario : stepped) {
            md.append("- ").append(scenario.name()).append(": ")
                    .append(knee(scenario).map(rate -> rate + " requests/s").orElse("none of the rates run"))
                    .append('\n');
        }
    }

    private static void progress(StringBuilder md, ProgressProbe.Result probe) {
        Latencies.Summary latency = probe.latency();
        md.append("\nProgress path (TranscodeProgress produced to `video.transcode.events` as the transcoder does, ")
                .append(format(probe.ratePerSecond())).append(" per second, until a `videoProgress` subscriber ")
                .append("over graphql-transport-ws receives it):\n\n");
        md.append("| Events sent | Seen by the subscriber | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        md.append("| ").append(probe.sent()).append(" | ").append(probe.received()).append(" | ")
                .append(format(latency.percentileMillis(50))).append(" | ")
                .append(format(latency.percentileMillis(95))).append(" | ")
                .append(format(latency.percentileMillis(99))).append(" | ")
                .append(format(latency.maxMillis())).append(" |\n");
    }

    private static String modeName(LoadGenerator.Result result) {
        return result.mode() == LoadGenerator.Mode.FIXED_RATE ? "fixed " + result.ratePerSecond() + "/s"
                : "max throughput";
    }

    private String settingsArguments() {
        StringBuilder arguments = new StringBuilder();
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(name -> name.startsWith("load.") && !name.endsWith("token")
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
        String load;
        try {
            load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            load = "unknown";
        }
        return Runtime.getRuntime().availableProcessors() + " cores of " + cpu + ", Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", load average " + load + " when the report was written";
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }
}
