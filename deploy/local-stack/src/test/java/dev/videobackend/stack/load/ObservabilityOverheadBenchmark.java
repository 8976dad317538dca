package dev.videobackend.stack.load;

import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.stack.CatalogClient;
import dev.videobackend.stack.LocalStack;
import dev.videobackend.stack.StackTokens;
import dev.videobackend.stack.tracing.OtlpReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What metrics and tracing cost (issue 15): the same stack in three modes, which alternate, {@code overhead.rounds}
 * times. <b>Metrics off</b>: both services as built without Micrometer ({@code catalog.app.no-metrics},
 * {@code transcoder.app.no-metrics}; their meters register with a no-op registry) and the catalog's GraphQL operation
 * counter off; when those builds are missing the mode is skipped and the report says so. <b>Metrics on, tracing
 * off</b>: the packaged services as they are. <b>Tracing on</b> as in production: sampler
 * {@code parentbased_traceidratio} at {@code overhead.ratio}, OTLP/HTTP to a receiver in this process that accepts
 * and discards, the default 5 s batch delay. Metrics alone are the second mode minus the first, tracing on top of
 * metrics the third minus the second. Each run checks that {@code /q/metrics} is served exactly when metrics are on.
 * For each run: the catalog's CPU per request at a fixed rate of anonymous {@code video(id)} and
 * {@code videos(first: 20)} requests (CPU, not latency, because the machine is shared), and for a ladder job the
 * transcoder's CPU seconds and the wall time from the upload's answer to READY, every measured upload sampled (a
 * sampled {@code traceparent} on the upload, so the job is traced whatever the ratio: the worst case). Not a test:
 * run it by name, see docs/benchmarks.md.
 */
class ObservabilityOverheadBenchmark {

    private static final Path CATALOG = Path.of(System.getProperty("catalog.app"));
    private static final Path TRANSCODER = Path.of(System.getProperty("transcoder.app"));
    private static final Path CATALOG_NO_METRICS = Path.of(System.getProperty("catalog.app.no-metrics", ""));
    private static final Path TRANSCODER_NO_METRICS = Path.of(System.getProperty("transcoder.app.no-metrics", ""));
    private static final SampleClip.Spec CLIP = new SampleClip.Spec(640, 360, 30, 4.0, true);
    private static final int RATE = Integer.getInteger("overhead.rate", 100);
    private static final int VIDEOS = Integer.getInteger("overhead.videos", 5000);
    private static final int JOBS = Integer.getInteger("overhead.jobs", 3);
    private static final int ROUNDS = Integer.getInteger("overhead.rounds", 2);
    private static final double RATIO = Double.parseDouble(System.getProperty("overhead.ratio", "0.1"));
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("overhead.warmup-seconds", 10));
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("overhead.measure-seconds", 20));

    @TempDir
    Path work;

    /** What a run has on; each round runs them in this order. */
    private enum Observability {
        METRICS_OFF, METRICS_ON, TRACING_ON;

        String label() {
            return switch (this) {
                case METRICS_OFF -> "metrics off";
                case METRICS_ON -> "metrics on, tracing off";
                case TRACING_ON -> "tracing on, ratio " + RATIO;
            };
        }

        Path catalog() {
            return this == METRICS_OFF ? CATALOG_NO_METRICS : CATALOG;
        }

        Path transcoder() {
            return this == METRICS_OFF ? TRANSCODER_NO_METRICS : TRANSCODER;
        }
    }

    private record Run(Observability mode, String name, List<Read> reads, List<Job> jobs) {
    }

    private record Read(LoadGenerator.Result result, String loadAverage) {
    }

    private record Job(double transcoderCpuSeconds, double wallSeconds, String loadAverage) {
    }

    @Test
    void metricsAndTracingOffAndOn() throws Exception {
        List<Observability> modes = new ArrayList<>(List.of(Observability.values()));
        List<String> notes = new ArrayList<>();
        if (!Files.isRegularFile(CATALOG_NO_METRICS) || !Files.isRegularFile(TRANSCODER_NO_METRICS)) {
            modes.remove(Observability.METRICS_OFF);
            notes.add("Metrics off: skipped, it needs both services built without Micrometer, at '" + CATALOG_NO_METRICS
                    + "' and '" + TRANSCODER_NO_METRICS + "', and one or both are missing (docs/benchmarks.md has "
                    + "the command that builds them).");
        } else if (olderThan(CATALOG_NO_METRICS, CATALOG) || olderThan(TRANSCODER_NO_METRICS, TRANSCODER)) {
            notes.add("Warning: a build without Micrometer is older than the one with it; they may not be of the "
                    + "same code.");
        }
        notes.forEach(System.out::println);
        Path clip = SampleClip.write(CLIP, work.resolve("clip.mp4"));
        List<Run> runs = new ArrayList<>();
        // The modes alternate, so that a busy neighbour's share of the machine is spread over all of them.
        for (int round = 1; round <= ROUNDS; round++) {
            for (Observability mode : modes) {
                runs.add(run(mode, round, clip));
            }
        }
        String report = report(runs, modes, notes);
        System.out.println(report);
        Path output = Path.of("target/benchmarks/observability-overhead.md");
        Files.createDirectories(output.getParent());
        Files.writeString(output, report);
    }

    private static boolean olderThan(Path file, Path other) throws IOException {
        return Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(other)) < 0;
    }

    private Run run(Observability mode, int round, Path clip) throws Exception {
        if (mode != Observability.TRACING_ON) {
            // Without Micrometer the services' meters are no-ops; the GraphQL counter is not even looked up.
            return run(mode, round, mode == Observability.METRICS_OFF
                    ? Map.of("CATALOG_METRICS_GRAPHQL_OPERATIONS", "false") : Map.of(), clip);
        }
        try (OtlpReceiver otlp = OtlpReceiver.discarding()) {
            Run run = run(mode, round, otlp.serviceEnvironment(RATIO, Duration.ofSeconds(5)), clip);
            assertThat(otlp.exports()).as("batches the services exported").isPositive();
            return run;
        }
    }

    private Run run(Observability mode, int round, Map<String, String> environment, Path clip) throws Exception {
        String name = mode.label() + " (" + round + ")";
        System.out.println("== " + name);
        LocalStack.Settings settings = new LocalStack.Settings(work.resolve(name.replaceAll("\\W+", "-")),
                FreePort.find(), FreePort.find(), mode.catalog(), mode.transcoder(), false)
                .withServiceEnvironment(environment);
        try (LocalStack stack = LocalStack.start(settings)) {
            // The builds are what the mode says: only Micrometer serves /q/metrics.
            for (URI service : List.of(stack.catalogUrl(), stack.transcoderUrl())) {
                assertThat(status(service.resolve("/q/metrics"))).as("%s/q/metrics, %s", service, mode.label())
                        .isEqualTo(mode == Observability.METRICS_OFF ? 404 : 200);
            }
            CatalogSeeder.Seeded seeded = new CatalogSeeder(stack.postgres().jdbcUrl(), stack.postgres().user(),
                    stack.postgres().password()).seed(VIDEOS, StackTokens.DEMO_USER);
            Map<String, Supplier<Stream<ProcessHandle>>> parts = new LinkedHashMap<>();
            parts.put("catalog", CpuUsage.alone(stack.catalogPid()));
            parts.put("transcoder", CpuUsage.alone(stack.transcoder().pid()));
            CpuUsage cpu = new CpuUsage(parts);

            List<Read> reads = new ArrayList<>();
            try (LoadGenerator generator = new LoadGenerator(stack.catalogUrl(), 50, WARM_UP, MEASURE, cpu)) {
                for (Scenario scenario : List.of(Scenario.video(stack.catalogUrl(), seeded.publicIds()),
                        Scenario.videos(stack.catalogUrl()))) {
                    String load = loadAverage();
                    LoadGenerator.Result result = generator.run(scenario, LoadGenerator.Mode.FIXED_RATE, RATE);
                    System.out.printf(Locale.ROOT,
                            "%s at %d/s: %.3f ms catalog CPU per request, %d errors %s (load %s)%n", scenario.name(),
                            RATE, result.cpuMillisPerRequest("catalog"), result.errors(), result.errorKinds(), load);
                    reads.add(new Read(result, load));
                }
            }

            CatalogClient client = new CatalogClient(stack.catalogUrl(), stack.tokens().demoUploader());
            List<Job> jobs = new ArrayList<>();
            transcode(client, stack, cpu, clip); // warm-up: the first job in a new JVM compiles the code it runs
            for (int i = 0; i < JOBS; i++) {
                Job job = transcode(client, stack, cpu, clip);
                System.out.printf(Locale.ROOT, "job: %.2f s transcoder CPU, %.2f s wall (load %s)%n",
                        job.transcoderCpuSeconds(), job.wallSeconds(), job.loadAverage());
                jobs.add(job);
            }
            return new Run(mode, name, reads, jobs);
        }
    }

    private static int status(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
    /** Uploads the clip with a sampled trace context and waits for READY; what the transcoder spent meanwhile. */
    private static Job transcode(CatalogClient client, LocalStack stack, CpuUsage cpu, Path clip) throws Exception {
        String load = loadAverage();
        String id = client.createVideo("Overhead", "Tracing overhead", "demo");
        HexFormat hex = HexFormat.of();
        String traceparent = "00-" + hex.toHexDigits(ThreadLocalRandom.current().nextLong())
                + hex.toHexDigits(ThreadLocalRandom.current().nextLong()) + "-"
                + hex.toHexDigits(ThreadLocalRandom.current().nextLong()) + "-01";
        Map<String, Double> before = cpu.sample();
        HttpResponse<String> accepted = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.catalogUrl() + "/api/videos/" + id + "/source"))
                        .header("Content-Type", "video/mp4")
                        .header("Authorization", "Bearer " + stack.tokens().demoUploader())
                        .header("traceparent", traceparent)
                        .PUT(HttpRequest.BodyPublishers.ofFile(clip)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isBetween(200, 299);
        long start = System.nanoTime();
        String status;
        do {
            Thread.sleep(100);
            status = client.video(id).get("status").asText();
        } while (!status.equals("READY") && !status.equals("FAILED"));
        double wall = (System.nanoTime() - start) / 1e9;
        assertThat(status).isEqualTo("READY");
        return new Job(CpuUsage.between(before, cpu.sample()).get("transcoder"), wall, load);
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static String report(List<Run> runs, List<Observability> modes, List<String> notes) {
        StringBuilder md = new StringBuilder();
        notes.forEach(note -> md.append(note).append("\n\n"));
        md.append(String.format(Locale.ROOT, "Read path: %d seeded videos, fixed %d requests/s, %d s warm-up then %d s "
                + "measured, 50 connections.%n%n", VIDEOS, RATE, WARM_UP.toSeconds(), MEASURE.toSeconds()));
        md.append("| Run | Scenario | Requests | Errors | Catalog CPU ms/request | p50 ms | p99 ms | Load average |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Run run : runs) {
            for (Read read : run.reads()) {
                LoadGenerator.Result result = read.result();
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d%s | %.3f | %.2f | %.2f | %s |%n", run.name(),
                        result.scenario().name(), result.requests(), result.errors(),
                        result.errorKinds().isEmpty() ? "" : " " + result.errorKinds(),
                        result.cpuMillisPerRequest("catalog"), result.latency().percentileMillis(50),
                        result.latency().percentileMillis(99), read.loadAverage()));
            }
        }
        md.append(String.format(Locale.ROOT, "%nLadder job: a %dx%d %.0f s clip (360p, 240p, 144p), one warm-up job, "
                + "then each measured upload traced.%n%n", CLIP.width(), CLIP.height(), CLIP.durationSeconds()));
        md.append("| Run | Transcoder CPU s per job | Wall s per job (upload answered to READY) | Load average |\n");
        md.append("|---|---|---|---|\n");
        for (Run run : runs) {
            md.append("| ").append(run.name()).append(" | ")
                    .append(join(run.jobs().stream().map(Job::transcoderCpuSeconds).toList())).append(" | ")
                    .append(join(run.jobs().stream().map(Job::wallSeconds).toList())).append(" | ")
                    .append(String.join("; ", run.jobs().stream().map(Job::loadAverage).toList())).append(" |\n");
        }
        return md.append(differences(runs, modes)).toString();
    }

    /** Each figure's mean over the rounds per mode; metrics alone and tracing on top of metrics as differences. */
    private static String differences(List<Run> runs, List<Observability> modes) {
        Map<String, Function<Run, Stream<Double>>> figures = new LinkedHashMap<>();
        for (Read read : runs.get(0).reads()) {
            String scenario = read.result().scenario().name();
            figures.put("Catalog CPU ms/request, " + scenario, run -> run.reads().stream()
                    .filter(r -> r.result().scenario().name().equals(scenario))
                    .map(r -> r.result().cpuMillisPerRequest("catalog")));
        }
        figures.put("Transcoder CPU s per job", run -> run.jobs().stream().map(Job::transcoderCpuSeconds));
        figures.put("Wall s per job", run -> run.jobs().stream().map(Job::wallSeconds));

        StringBuilder md = new StringBuilder("\nMeans over the rounds, and the differences between the modes:\n\n");
        md.append("| Figure |");
        modes.forEach(mode -> md.append(' ').append(mode.label()).append(" |"));
        md.append(" Metrics alone (on - off) | Tracing on top of metrics |\n|---|");
        md.append("---:|".repeat(modes.size() + 2)).append('\n');
        for (Map.Entry<String, Function<Run, Stream<Double>>> figure : figures.entrySet()) {
            Map<Observability, OptionalDouble> means = new LinkedHashMap<>();
            for (Observability mode : Observability.values()) {
                means.put(mode, runs.stream().filter(run -> run.mode() == mode).flatMap(figure.getValue())
                        .mapToDouble(Double::doubleValue).average());
            }
            md.append("| ").append(figure.getKey()).append(" |");
            modes.forEach(mode -> md.append(String.format(Locale.ROOT, " %.3f |", means.get(mode).orElseThrow())));
            md.append(' ').append(difference(means.get(Observability.METRICS_OFF), means.get(Observability.METRICS_ON)))
                    .append(" | ")
                    .append(difference(means.get(Observability.METRICS_ON), means.get(Observability.TRACING_ON)))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String difference(OptionalDouble before, OptionalDouble after) {
        if (before.isEmpty() || after.isEmpty()) {
            return "not measured";
        }
        double change = after.getAsDouble() - before.getAsDouble();
        return String.format(Locale.ROOT, "%+.3f (%+.1f %%)", change, 100 * change / before.getAsDouble());
    }

    private static String join(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }
}
