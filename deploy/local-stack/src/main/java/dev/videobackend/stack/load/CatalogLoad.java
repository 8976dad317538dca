package dev.videobackend.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.stack.CatalogClient;
import dev.videobackend.stack.Demo;
import dev.videobackend.stack.LocalStack;
import dev.videobackend.stack.StackTokens;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The catalog under load (issues 5 and 13): seeds a catalog of videos, transcodes one real clip for a media segment,
 * then drives the anonymous {@code videos(first: 20)}, {@code video(id)} and search, the signed-in uploader's own
 * list and the segment GET from this process, each at full speed and at fixed arrival rates (its target's, or each
 * of {@code -Dload.rate}'s: a step run), and times the progress path from Kafka to a {@code videoProgress}
 * subscriber. Writes a markdown report and prints it with PASS or FAIL per target and each scenario's knee.
 *
 * <p>The catalog always runs in a JVM of its own: the stack this starts (its packaged jar, as
 * {@code deploy/local-stack/run} runs it), or one already running ({@code -Dload.catalog-url}, see
 * {@link LoadSettings}).
 */
public final class CatalogLoad {

    private static final SampleClip.Spec CLIP = new SampleClip.Spec(640, 360, 30, 4.0, true);
    /** The fixed rate of a scenario without a target, unless -Dload.rate says otherwise. */
    private static final int DEFAULT_RATE = 1000;
    static final String LOAD_GENERATOR = "load generator and Kafka";

    private final LoadSettings settings;
    private final PrintStream out;

    public CatalogLoad(LoadSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * {@code java -cp deploy/local-stack/target/local-stack.jar dev.videobackend.stack.load.CatalogLoad} with the
     * {@code -Dload.*} settings; without {@code -Dload.catalog-url} it also needs {@code -Dcatalog.app} and
     * {@code -Dtranscoder.app}, the services' packaged applications. Exits with 1 when a target is missed.
     */
    public static void main(String[] arguments) throws IOException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        LoadSettings settings = LoadSettings.fromSystemProperties();
        Path work = Files.createTempDirectory("catalog-load");
        LoadReport report = new CatalogLoad(settings, System.out).run(
                Path.of(System.getProperty("catalog.app", "catalog-service/target/quarkus-app/quarkus-run.jar")),
                Path.of(System.getProperty("transcoder.app", "transcoder-service/target/quarkus-app/quarkus-run.jar")),
                work);
        if (settings.runningStack().isEmpty()) {
            System.out.println("The stack's data (PostgreSQL, Kafka, media, logs) is kept in " + work
                    + "; delete it when done.");
        }
        System.exit(report.passed() ? 0 : 1);
    }

    /**
     * Where the stack is: the catalog, a token with admin rights, the demo uploader's token and name, PostgreSQL and
     * Kafka, and the processes whose CPU time the report breaks down.
     */
    private record Target(URI catalog, String token, String uploaderToken, String uploader, String jdbcUrl,
            String jdbcUser, String jdbcPassword, String kafka, String description,
            Map<String, Supplier<Stream<ProcessHandle>>> processes, Runnable restartCatalog) {
    }

    /**
     * Runs everything against the configured stack, or against a stack it starts from the given packaged
     * applications in {@code workDirectory}; returns the report, also written to {@code settings.output()}.
     */
    public LoadReport run(Path catalogApplication, Path transcoderApplication, Path workDirectory) {
        Map<String, Supplier<Stream<ProcessHandle>>> processes = new LinkedHashMap<>();
        if (settings.runningStack().isPresent()) {
            LoadSettings.RunningStack running = settings.runningStack().get();
            // The catalog's process, when it runs on this machine, for the CPU time it spends per request.
            Optional.ofNullable(System.getProperty("load.catalog-pid")).map(Long::parseLong)
                    .ifPresent(pid -> processes.put("catalog", CpuUsage.alone(pid)));
            processes.put(LOAD_GENERATOR, CpuUsage.alone(ProcessHandle.current().pid()));
            return run(new Target(running.catalogUrl(), running.adminToken(), running.uploaderToken(),
                    running.uploader(), running.jdbcUrl(), running.jdbcUser(), running.jdbcPassword(),
                    running.kafkaBootstrapServers(), "already running at " + running.catalogUrl(), processes,
                    () -> { }),
                    workDirectory);
        }
        out.println("Starting the local stack (PostgreSQL, Kafka, the catalog and the transcoder)...");
        Path stackData = workDirectory.resolve("stack");
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(stackData,
                FreePort.find(), FreePort.find(), catalogApplication, transcoderApplication, false,
                Map.of("CATALOG_WARM_UP_MIN_REQUESTS", String.valueOf(settings.catalogWarmUp()))))) {
            // The catalog's current process: a restart after seeding (load.restart-catalog) starts another.
            processes.put("catalog", () -> ProcessHandle.of(stack.catalogPid()).stream());
            postmaster(stackData).ifPresent(pid -> processes.put("PostgreSQL", CpuUsage.tree(pid)));
            processes.put(LOAD_GENERATOR, CpuUsage.alone(ProcessHandle.current().pid()));
            return run(new Target(stack.catalogUrl(), stack.tokens().admin(), stack.tokens().demoUploader(),
                    StackTokens.DEMO_USER, stack.postgres().jdbcUrl(), stack.postgres().user(),
                    stack.postgres().password(), stack.kafka().bootstrapServers(),
                    "started by the runner: the catalog's packaged jar in its own JVM (-Xmx384m), embedded "
                            + "PostgreSQL and Kafka in the runner's JVM"
                            + (settings.restartCatalog() ? "; the catalog restarted after seeding" : ""), processes,
                    stack::replaceCatalog), workDirectory);
        }
    }

    private LoadReport run(Target target, Path workDirectory) {
        out.printf("Seeding %d videos...%n", settings.videos());
        long seedStart = System.nanoTime();
        CatalogSeeder.Seeded seeded = new CatalogSeeder(target.jdbcUrl(), target.jdbcUser(), target.jdbcPassword())
                .seed(settings.videos(), target.uploader());
        Duration seeding = Duration.ofNanos(System.nanoTime() - seedStart);
        out.printf("Seeded %d videos (%d public) in %.1f s%n", settings.videos(), seeded.publicIds().size(),
                seeding.toMillis() / 1000.0);
        if (settings.restartCatalog()) {
            out.println("Restarting the catalog: the runs start as soon as it reports ready...");
            long restartStart = System.nanoTime();
            target.restartCatalog().run();
            out.printf("The catalog was ready %.1f s after its restart; its warm-up: %s%n",
                    (System.nanoTime() - restartStart) / 1e9, warmUp(target.catalog()));
        }

        List<Scenario> scenarios = new ArrayList<>();
        if (selected("videos")) {
            scenarios.add(Scenario.videos(target.catalog()));
        }
        if (selected("video")) {
            scenarios.add(Scenario.video(target.catalog(), seeded.publicIds()));
        }
        if (selected("own")) {
            scenarios.add(Scenario.ownVideos(target.catalog(), target.uploader(), target.uploaderToken()));
        }
        if (selected("search")) {
            scenarios.add(Scenario.search(target.catalog(), CatalogSeeder.WORDS));
        }
        if (selected("segment")) {
            out.println("Transcoding one real clip for a media segment...");
            CatalogClient client = new CatalogClient(target.catalog(), target.token());
            Demo.Outcome transcoded = new Demo(client, workDirectory.resolve("clip"), out).run(CLIP);
            scenarios.add(Scenario.segment(firstSegment(target.catalog(), transcoded.video())));
        }

        CpuUsage cpu = new CpuUsage(target.processes());
        List<LoadGenerator.Result> results = new ArrayList<>();
        try (LoadGenerator generator = new LoadGenerator(target.catalog(), settings.connections(), settings.warmUp(),
                settings.measure(), cpu)) {
            for (Scenario scenario : scenarios) {
                if (settings.maxThroughput()) {
                    results.add(run(generator, scenario, LoadGenerator.Mode.CLOSED_LOOP, 0));
                }
                List<Integer> rates = settings.rates().isEmpty()
                        ? List.of(scenario.target().map(Scenario.Target::ratePerSecond).orElse(DEFAULT_RATE))
                        : settings.rates();
                for (int rate : rates) {
                    results.add(run(generator, scenario, LoadGenerator.Mode.FIXED_RATE, rate));
                }
            }
        }
        Optional<ProgressProbe.Result> progress = Optional.empty();
        if (selected("progress")) {
            out.printf("Progress path: %d events/s for %d s...%n", settings.progressEventsPerSecond(),
                    settings.progressDuration().toSeconds());
            progress = Optional.of(new ProgressProbe(target.catalog(), target.token(), target.kafka())
                    .run(seeded.queuedVideo(), seeded.queuedJob(), settings.progressEventsPerSecond(),
                            settings.progressDuration()));
        }

        LoadReport report = new LoadReport(settings, target.description(), scenarios, seeding, results, progress);
        write(settings.output(), report.markdown());
        out.println();
        out.println(report.markdown());
        out.println("Written to " + settings.output().toAbsolutePath());
        return report;
    }

    private LoadGenerator.Result run(LoadGenerator generator, Scenario scenario, LoadGenerator.Mode mode, int rate) {
        out.printf("%s, %s: %d s warm-up, %d s measured...%n", scenario.name(),
                mode == LoadGenerator.Mode.FIXED_RATE ? "fixed " + rate + "/s" : "max throughput",
                settings.warmUp().toSeconds(), settings.measure().toSeconds());
        LoadGenerator.Result result = generator.run(scenario, mode, mode == LoadGenerator.Mode.FIXED_RATE ? rate : 1);
        out.printf("  %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d errors%n", result.throughput(),
                result.latency().percentileMillis(50), result.latency().percentileMillis(99), result.errors());
        return result;
    }

    private boolean selected(String scenario) {
        return settings.scenarios().isEmpty() || settings.scenarios().contains(scenario);
    }

    /** The embedded PostgreSQL's main process, from the pid file in its data directory. */
    private static Optional<Long> postmaster(Path stackData) {
        try (Stream<Path> files = Files.walk(stackData.resolve("postgres"), 3)) {
            return files.filter(file -> file.getFileName().toString().equals("postmaster.pid")).findFirst()
                    .map(file -> {
                        try {
                            return Long.parseLong(Files.readAllLines(file).get(0).strip());
                        } catch (IOException | RuntimeException e) {
                            return null;
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The first media segment of the first rendition of a transcoded video, as an absolute URL. */
    private static URI firstSegment(URI catalog, JsonNode video) {
        URI playlist = catalog.resolve(video.get("renditions").get(0).get("url").asText());
        return get(playlist).lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .findFirst()
                .map(playlist::resolve)
                .orElseThrow(() -> new IllegalStateException("No segment in " + playlist));
    }

    /** What the catalog's readiness check {@code warm-up} reports. */
    private static String warmUp(URI catalog) {
        try {
            for (JsonNode check : Scenario.JSON.readTree(get(catalog.resolve("/q/health/ready"))).get("checks")) {
                if (check.get("name").asText().equals("warm-up")) {
                    return check.get("data").toString();
                }
            }
            return "no warm-up check";
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable readiness answer", e);
        }
    }

    private static String get(URI uri) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + uri, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
