package dev.videobackend.transcoder;

import dev.videobackend.infra.FreePort;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged transcoder ({@code target/quarkus-app}) as a child process, as the integration tests run it. */
public final class PackagedTranscoder {

    private static final Path APPLICATION = Path.of(System.getProperty("transcoder.app",
            "target/quarkus-app/quarkus-run.jar"));
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private PackagedTranscoder() {
    }

    /**
     * Starts it on this Kafka and media directory, its output appended to {@code log}, with
     * {@code systemProperties} ({@code -Dname=value}) besides the usual, and returns once it is ready.
     */
    public static Process start(String bootstrapServers, Path mediaRoot, int maxAttempts, Path log,
            String... systemProperties) {
        int port = FreePort.find();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // A killed consumer stays in its group until its session times out; the restarted one waits for that
        // before it gets the partitions, so a short session keeps the tests short.
        command.add("-Dmp.messaging.incoming.transcode-requests.session.timeout.ms=10000");
        command.addAll(List.of(systemProperties));
        command.addAll(List.of("-jar", APPLICATION.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "TRANSCODER_MEDIA_ROOT", mediaRoot.toString(),
                "TRANSCODER_JOBS_MAX_ATTEMPTS", Integer.toString(maxAttempts),
                "TRANSCODER_PROGRESS_INTERVAL", "100ms",
                "QUARKUS_HTTP_PORT", Integer.toString(port)));
        Process transcoder;
        try {
            transcoder = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + APPLICATION + ": package it first", e);
        }
        awaitReady(transcoder, URI.create("http://localhost:" + port + "/q/health/ready"), log);
        return transcoder;
    }

    private static void awaitReady(Process transcoder, URI health, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build();
        Awaitility.await("transcoder ready, see " + log).atMost(STARTUP).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    assertThat(transcoder.isAlive()).as("transcoder alive, see %s", log).isTrue();
                    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }
}
