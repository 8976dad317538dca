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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What tracing costs (issue 15): the same stack with tracing off (the default) and on as in production (sampler
 * {@code parentbased_traceidratio} at {@code overhead.ratio}, OTLP/HTTP to a receiver in this process that accepts
 * and discards, the default 5 s batch delay), alternating {@code overhead.rounds} times. Metrics stay on in every
 * run: Micrometer is a build-time extension, so what this measures is tracing on top of metrics. For each run: the
 * catalog's CPU per request at a fixed rate of anonymous {@code video(id)} and {@code videos(first: 20)} requests
 * (CPU, not latency, because the machine is shared), and for a ladder job the transcoder's CPU seconds and the wall
 * time from the upload's answer to READY, every measured upload sampled (a sampled {@code traceparent} on the
 * upload, so the job is traced whatever the ratio: the worst case). Not a test: run it by name, see
 * docs/benchmarks.md.
 */
class ObservabilityOverheadBenchmark {

    private static final Path CATALOG = Path.of(System.getProperty("catalog.app"));
    private static final Path TRANSCODER = Path.of(System.getProperty("transcoder.app"));
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

    private record Run(String name, List<Read> reads, List<Job> jobs) {
    }

    private record Read(LoadGenerator.Result result, String loadAverage) {
    }

    private record Job(double transcoderCpuSeconds, double wallSeconds, String loadAverage) {
    }

    @Test
    void tracingOffAndOn() throws Exception {
        Path clip = SampleClip.write(CLIP, work.resolve("clip.mp4"));
        List<Run> runs = new ArrayList<>();
        // Off and on alternate, so that a busy neighbour's share of the machine is spread over both.
        for (int round = 1; round <= ROUNDS; round++) {
            runs.add(run("tracing off (" + round + ")", Map.of(), clip));
            try (OtlpReceiver otlp = OtlpReceiver.discarding()) {
                runs.add(run("tracing on, ratio " + RATIO + " (" + round + ")",
                        otlp.serviceEnvironment(RATIO, Duration.ofSeconds(5)), clip));
                assertThat(otlp.exports()).as("batches the services exported").isPositive();
            }
        }
        String report = report(runs);
        System.out.println(report);
        Path output = Path.of("target/benchmarks/observability-overhead.md");
        Files.createDirectories(output.getParent());
        Files.writeString(output, report);
    }

    private Run run(String name, Map<String, String> environment, Path clip) throws Exception {
        System.out.println("== " + name);
        LocalStack.Settings settings = new LocalStack.Settings(work.resolve(name.replaceAll("\\W+", "-")),
                FreePort.find(), FreePort.find(), CATALOG, TRANSCODER, false).withServiceEnvironment(environment);
        try (LocalStack stack = LocalStack.start(settings)) {
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
            return new Run(name, reads, jobs);
        }
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

    private static String report(List<Run> runs) {
        StringBuilder md = new StringBuilder();
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
        return md.toString();
    }

    private static String join(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }
}
