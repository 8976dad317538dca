package dev.videobackend.infra.s3;

import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.ThrowAwayDirectory;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An S3-compatible object store for the tests and the local stack: S3Proxy (a real S3 API: SigV4, multipart
 * uploads, presigned URLs, DeleteObjects) over a filesystem blob store, run from its Maven artifact as a child JVM;
 * or an existing service when {@value #EXISTING_ENDPOINT_VARIABLE} names one.
 */
public final class S3Server implements AutoCloseable {

    /** Endpoint of an existing S3-compatible service to use instead of starting one. */
    public static final String EXISTING_ENDPOINT_VARIABLE = "VIDEO_S3_ENDPOINT";
    public static final String EXISTING_BUCKET_VARIABLE = "VIDEO_S3_BUCKET";
    public static final String EXISTING_REGION_VARIABLE = "VIDEO_S3_REGION";
    /** The SDK's own variable names, so that the services' default credential chain reads the same values. */
    public static final String ACCESS_KEY_VARIABLE = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_KEY_VARIABLE = "AWS_SECRET_ACCESS_KEY";

    public static final String DEFAULT_BUCKET = "media";
    private static final String EMBEDDED_REGION = "us-east-1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final String endpoint;
    private final String bucket;
    private final String region;
    private final String accessKey;
    private final String secretKey;
    private final Path throwAwayDirectory;

    private S3Server(Process process, String endpoint, String bucket, String region, String accessKey,
            String secretKey, Path throwAwayDirectory) {
        this.process = process;
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.region = region;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.throwAwayDirectory = throwAwayDirectory;
    }

    /**
     * Uses the service named by the environment, or starts an embedded one.
     *
     * @param dataDirectory where the embedded server keeps its buckets, kept across restarts; {@code null} for a
     *                      throw-away directory deleted on close
     * @param port          port, 0 for a free one
     */
    public static S3Server startOrConnect(Path dataDirectory, int port) {
        return startOrConnect(System.getenv(), dataDirectory, port);
    }

    static S3Server startOrConnect(Map<String, String> environment, Path dataDirectory, int port) {
        String existing = environment.get(EXISTING_ENDPOINT_VARIABLE);
        if (existing != null && !existing.isBlank()) {
            return new S3Server(null, existing, environment.getOrDefault(EXISTING_BUCKET_VARIABLE, DEFAULT_BUCKET),
                    environment.getOrDefault(EXISTING_REGION_VARIABLE, EMBEDDED_REGION),
                    environment.get(ACCESS_KEY_VARIABLE), environment.get(SECRET_KEY_VARIABLE), null);
        }
        return start(dataDirectory, port, DEFAULT_BUCKET);
    }

    /**
     * Starts S3Proxy on the loopback interface with SigV4 authentication and random credentials, and creates
     * {@code bucket} when it does not exist yet.
     */
    public static S3Server start(Path dataDirectory, int port, String bucket) {
        try {
            Path throwAway = dataDirectory == null ? Files.createTempDirectory("s3-") : null;
            Path root = dataDirectory == null ? throwAway : dataDirectory;
            Path blobs = root.resolve("blobs");
            // The filesystem blob store keeps a bucket as a directory under its base directory.
            Files.createDirectories(blobs.resolve(bucket));
            int listenPort = FreePort.orFree(port);
            String endpoint = "http://127.0.0.1:" + listenPort;
            String accessKey = "local-" + UUID.randomUUID().toString().substring(0, 8);
            String secretKey = UUID.randomUUID().toString();
            Path configFile = root.resolve("s3proxy.properties");
            Properties config = new Properties();
            config.putAll(Map.of(
                    "s3proxy.endpoint", endpoint,
                    "s3proxy.authorization", "aws-v4",
                    "s3proxy.identity", accessKey,
                    "s3proxy.credential", secretKey,
                    // Browsers upload straight to the bucket with presigned URLs.
                    "s3proxy.cors-allow-all", "true",
                    "jclouds.provider", "filesystem",
                    "jclouds.filesystem.basedir", blobs.toAbsolutePath().toString(),
                    "jclouds.identity", accessKey,
                    "jclouds.credential", secretKey));
            try (Writer writer = Files.newBufferedWriter(configFile)) {
                config.store(writer, "embedded S3 server");
            }
            Path log = root.resolve("s3proxy.log");
            Process process = new ProcessBuilder(List.of(javaExecutable(), "-Xmx256m", "-jar", serverJar().toString(),
                    "--properties", configFile.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            S3Server server = new S3Server(process, endpoint, bucket, EMBEDDED_REGION, accessKey, secretKey, throwAway);
            // A test JVM that exits without closing its resources must not leave the server behind.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "s3proxy-stop"));
            server.awaitListening(log);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded S3 server", e);
        }
    }

    static Path serverJar() {
        Properties location = new Properties();
        try (InputStream in = S3Server.class.getResourceAsStream("s3proxy.properties")) {
            location.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("local-infra was built without s3proxy.properties", e);
        }
        Path jar = Path.of(location.getProperty("jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy is missing at " + jar + ": build deploy/local-infra once online");
        }
        return jar;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitListening(Path log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            Awaitility.await("S3Proxy listening at " + endpoint)
                    .atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("S3Proxy exited with " + process.exitValue());
                        }
                        // Any S3 answer (an anonymous request is refused) means it serves.
                        return client.send(HttpRequest.newBuilder(URI.create(endpoint + "/")).GET().build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
                    });
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("The embedded S3 server did not start: " + tail(log), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public boolean isEmbedded() {
        return process != null;
    }

    public String endpoint() {
        return endpoint;
    }

    public String bucket() {
        return bucket;
    }

    public String region() {
        return region;
    }

    /** The access key the embedded server accepts; an existing service's from the environment, if any. */
    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Stops the embedded server and deletes a throw-away directory; an existing service is left alone. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (throwAwayDirectory != null) {
            ThrowAwayDirectory.delete(throwAwayDirectory);
        }
    }

    @Override
    public String toString() {
        return (isEmbedded() ? "embedded " : "existing ") + "S3 at " + endpoint + ", bucket " + bucket;
    }
}
