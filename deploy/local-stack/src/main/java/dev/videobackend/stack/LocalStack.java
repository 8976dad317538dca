package dev.videobackend.stack;

import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.kafka.KafkaBroker;
import dev.videobackend.infra.kafka.TopicSpec;
import dev.videobackend.infra.postgres.PostgresServer;
import dev.videobackend.infra.s3.S3Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL, Kafka, an S3 server when media goes to a bucket, the catalog and the transcoder on this machine,
 * everything kept under one data directory so that a restart finds the videos again. The services are supervised: one that crashes is started again with
 * back-off ({@link RestartPolicy#DEFAULT}) while the rest keep running, and each restart is printed. Closing it stops
 * all of them, services first.
 */
public final class LocalStack implements AutoCloseable {

    /** The topics the services use, as the Kubernetes manifests declare them, with fewer partitions. */
    public static final List<TopicSpec> TOPICS = List.of(
            new TopicSpec("video.transcode.requests", 3),
            new TopicSpec("video.transcode.requests.dlq", 1),
            new TopicSpec("video.transcode.events", 3),
            new TopicSpec("video.transcode.events.dlq", 1),
            new TopicSpec("video.transcode.control", 1),
            new TopicSpec("video.catalog.events", 3));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    /**
     * The transcoder's JVM options, those of the Kubernetes dev overlay (container limit 2 GiB): 384 MiB of heap, and
     * JavaCPP's limits, which it reads once when its Pointer class loads, so only from the command line. maxBytes
     * bounds what JavaCPP allocates itself (FFmpeg's own buffers are not in it); maxPhysicalBytes bounds the resident
     * memory of the whole process less its shared file pages (libraries). Past either, at its next allocation,
     * JavaCPP collects garbage and then fails that allocation: one job fails instead of the container's OOM kill
     * ending all of them. 1792 MiB leaves 256 MiB of the limit for the file pages and for what FFmpeg allocates
     * between two of JavaCPP's checks. Without them JavaCPP takes maxBytes = -Xmx and maxPhysicalBytes = 4 x -Xmx.
     * The serial collector, as the image chooses it (its GC_CONTAINER_OPTIONS), starting from the heap the JVM gives
     * itself in that container (1/64 of it), not from 1/64 of a development machine: the heap holds little, and a
     * larger one only adds resident pages. docs/benchmarks.md has the measured peaks.
     */
    public static final List<String> TRANSCODER_JVM_OPTIONS = List.of("-Xmx384m", "-Xms32m", "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError", "-Dorg.bytedeco.javacpp.maxBytes=1g",
            "-Dorg.bytedeco.javacpp.maxPhysicalBytes=1792m");

    /**
     * glibc's allocator as the transcoder's image sets it: two arenas instead of eight per core for FFmpeg's many
     * threads, and buffers from 128 KiB up always mapped on their own and unmapped when freed, instead of kept in the
     * arenas once the threshold has adapted to the frame size (docs/benchmarks.md).
     */
    public static final Map<String, String> TRANSCODER_ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2",
            "MALLOC_MMAP_THRESHOLD_", "131072");

    /**
     * How to run the stack.
     *
     * @param durable {@code false} turns PostgreSQL's fsync off, for throw-away test data
     * @param catalogEnvironment more configuration of the catalog (environment variables), over the stack's own
     * @param mediaStore where media is kept
     * @param serviceEnvironment more configuration of both services (environment variables), such as where they
     *        export traces
     */
    public record Settings(Path dataDirectory, int catalogPort, int transcoderPort, Path catalogApplication,
            Path transcoderApplication, boolean durable, Map<String, String> catalogEnvironment,
            MediaStore mediaStore, Map<String, String> serviceEnvironment) {

        public Settings {
            catalogEnvironment = Map.copyOf(catalogEnvironment);
            serviceEnvironment = Map.copyOf(serviceEnvironment);
        }

        public Settings(Path dataDirectory, int catalogPort, int transcoderPort, Path catalogApplication,
                Path transcoderApplication, boolean durable, Map<String, String> catalogEnvironment,
                MediaStore mediaStore) {
            this(dataDirectory, catalogPort, transcoderPort, catalogApplication, transcoderApplication, durable,
                    catalogEnvironment, mediaStore, Map.of());
        }

        public Settings(Path dataDirectory, int catalogPort, int transcoderPort, Path catalogApplication,
                Path transcoderApplication, boolean durable, Map<String, String> catalogEnvironment) {
            this(dataDirectory, catalogPort, transcoderPort, catalogApplication, transcoderApplication, durable,
                    catalogEnvironment, MediaStore.FILESYSTEM);
        }

        public Settings(Path dataDirectory, int catalogPort, int transcoderPort, Path catalogApplication,
                Path transcoderApplication, boolean durable) {
            this(dataDirectory, catalogPort, transcoderPort, catalogApplication, transcoderApplication, durable, Map.of());
        }

        /** The same stack with its media kept in {@code store}. */
        public Settings withMediaStore(MediaStore store) {
            return new Settings(dataDirectory, catalogPort, transcoderPort, catalogApplication, transcoderApplication,
                    durable, catalogEnvironment, store, serviceEnvironment);
        }

        /** The same stack with {@code environment} added to both services' configuration. */
        public Settings withServiceEnvironment(Map<String, String> environment) {
            return new Settings(dataDirectory, catalogPort, transcoderPort, catalogApplication, transcoderApplication,
                    durable, catalogEnvironment, mediaStore, merge(serviceEnvironment, environment));
        }
    }

    private final Settings settings;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private volatile PostgresServer postgres;
    private volatile boolean postgresStopped;
    private volatile KafkaBroker kafka;
    private volatile boolean kafkaStopped;
    private int kafkaPort;
    private S3Server s3;
    /** The services' settings for where media is kept; none for the media directory. */
    private Map<String, String> storage = Map.of();
    private ServiceProcess catalog;
    private ServiceProcess transcoder;
    private StackTokens tokens;

    private LocalStack(Settings settings) {
        this.settings = settings;
    }

    public static LocalStack start(Settings settings) {
        LocalStack stack = new LocalStack(settings);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            try {
                stack.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void startAll() {
        Path data = settings.dataDirectory().toAbsolutePath();
        Path media = data.resolve("media");
        try {
            Files.createDirectories(media);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + media, e);
        }
        tokens = StackTokens.loadOrCreate(data.resolve("jwt"));
        postgres = PostgresServer.startOrConnect(data.resolve("postgres"), "catalog", settings.durable());
        own(() -> {
            if (!postgresStopped) {
                postgres.close();
            }
        });
        kafkaPort = FreePort.find();
        kafka = KafkaBroker.startOrConnect(data.resolve("kafka"), kafkaPort);
        own(() -> {
            if (!kafkaStopped) {
                kafka.close();
            }
        });
        kafka.createTopics(TOPICS);

        storage = storageEnvironment(data);
        Map<String, String> common = merge(merge(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()), storage),
                settings.serviceEnvironment());
        transcoder = startTranscoder("transcoder", settings.transcoderPort());
        Map<String, String> catalogEnvironment = merge(common, Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(settings.catalogPort()),
                "QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(),
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", postgres.user(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.password(),
                "CATALOG_MEDIA_ROOT", media.toString(),
                "CATALOG_MEDIA_PUBLIC_BASE_URL", catalogUrl().toString(),
                "MP_JWT_VERIFY_ISSUER", StackTokens.ISSUER,
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", tokens.publicKey().toUri().toString(),
                // the web console offers to sign in with the tokens this stack prints: only ever in a local stack
                "CATALOG_CONSOLE_DEV_SIGN_IN", "true"));
        // Ready at once: the warm-up before readiness (up to 90 s) is for replicas taking production traffic; the
        // catalog benchmark turns it back on.
        catalogEnvironment = merge(catalogEnvironment, Map.of("CATALOG_WARM_UP_MIN_REQUESTS", "0"));
        catalog = own(ServiceProcess.supervise("catalog", settings.catalogApplication(),
                List.of("-Xmx384m", "-XX:+ExitOnOutOfMemoryError"),
                merge(catalogEnvironment, settings.catalogEnvironment()),
                data.resolve("logs/catalog.log"), RestartPolicy.DEFAULT, LocalStack::notice));
        transcoder.awaitReady(healthUrl(settings.transcoderPort()), START_TIMEOUT);
        catalog.awaitReady(healthUrl(settings.catalogPort()), START_TIMEOUT);
    }

    private ServiceProcess startTranscoder(String name, int port) {
        Path data = settings.dataDirectory().toAbsolutePath();
        return own(ServiceProcess.supervise(name, settings.transcoderApplication(), TRANSCODER_JVM_OPTIONS,
                merge(merge(TRANSCODER_ENVIRONMENT, Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        "QUARKUS_HTTP_PORT", String.valueOf(port),
                        "TRANSCODER_MEDIA_ROOT", data.resolve("media").toString())),
                        merge(storage, settings.serviceEnvironment())),
                data.resolve("logs/" + name + ".log"), RestartPolicy.DEFAULT, LocalStack::notice));
    }

    /**
     * Starts one more transcoder replica on {@code port}, in the same consumer group and on the same media directory
     * (a scale-out), supervised and stopped with the stack; returns it once ready.
     */
    public ServiceProcess addTranscoder(String name, int port) {
        ServiceProcess replica = startTranscoder(name, port);
        replica.awaitReady(healthUrl(port), START_TIMEOUT);
        return replica;
    }

    /** Starts (or connects to) the S3 server when media goes to a bucket; the services' settings for it. */
    private Map<String, String> storageEnvironment(Path data) {
        if (settings.mediaStore() == MediaStore.FILESYSTEM) {
            return Map.of();
        }
        s3 = own(S3Server.startOrConnect(data.resolve("s3"), 0));
        return MediaStore.environment(s3, data.resolve("scratch"));
    }

    /** The S3 server, when media goes to a bucket. */
    public Optional<S3Server> s3() {
        return Optional.ofNullable(s3);
    }

    private static void notice(String text) {
        System.out.println("[local-stack " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + text);
    }

    private static Map<String, String> merge(Map<String, String> first, Map<String, String> second) {
        Map<String, String> merged = new HashMap<>(first);
        merged.putAll(second);
        return merged;
    }

    private <T extends AutoCloseable> T own(T resource) {
        running.push(resource);
        return resource;
    }

    private static URI healthUrl(int port) {
        return URI.create("http://localhost:" + port + "/q/health/ready");
    }

    public URI catalogUrl() {
        return URI.create("http://localhost:" + settings.catalogPort());
    }

    /** The catalog's process, for benchmarks that measure what it spends. */
    public long catalogPid() {
        return catalog.pid();
    }

    /** Replaces the catalog's process by a fresh one and waits until it reports ready (warm-up included). */
    public void replaceCatalog() {
        catalog.replace();
        catalog.awaitReady(healthUrl(settings.catalogPort()), START_TIMEOUT);
    }

    public URI transcoderUrl() {
        return URI.create("http://localhost:" + settings.transcoderPort());
    }

    public Path mediaRoot() {
        return settings.dataDirectory().toAbsolutePath().resolve("media");
    }

    public Path logDirectory() {
        return settings.dataDirectory().toAbsolutePath().resolve("logs");
    }

    /** Signs bearer tokens the catalog of this stack accepts. */
    public StackTokens tokens() {
        return tokens;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** Stops the embedded Kafka broker (a fault to inject); {@link #startKafka()} brings it back. */
    public void stopKafka() {
        requireEmbedded(kafka.isEmbedded(), "Kafka");
        kafka.close();
        kafkaStopped = true;
    }

    /** Starts the stopped Kafka broker again on its data directory and port. */
    public void startKafka() {
        kafka = KafkaBroker.start(settings.dataDirectory().toAbsolutePath().resolve("kafka"), kafkaPort);
        kafkaStopped = false;
    }

    /** Stops the embedded PostgreSQL server (a fault to inject); {@link #startPostgres()} brings it back. */
    public void stopPostgres() {
        requireEmbedded(postgres.isEmbedded(), "PostgreSQL");
        postgres.close();
        postgresStopped = true;
    }

    /** Starts the stopped PostgreSQL server again on its data directory and port. */
    public void startPostgres() {
        postgres = PostgresServer.startEmbedded(settings.dataDirectory().toAbsolutePath().resolve("postgres"),
                postgres.database(), settings.durable(), postgres.port());
        postgresStopped = false;
    }

    private static void requireEmbedded(boolean embedded, String what) {
        if (!embedded) {
            throw new IllegalStateException("Only an embedded " + what + " can be stopped by the stack");
        }
    }

    /** The process ids of the service JVMs now, for checks that nothing outlives the stack. */
    public List<Long> servicePids() {
        return List.of(catalog.pid(), transcoder.pid());
    }

    /** The catalog's supervised process, for tests that crash it. */
    public ServiceProcess catalog() {
        return catalog;
    }

    /** The transcoder's supervised process, for tests that crash it. */
    public ServiceProcess transcoder() {
        return transcoder;
    }

    /** Stops the services, then Kafka, then PostgreSQL; collects every failure instead of stopping at the first. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("The local stack did not stop cleanly", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
