package dev.videobackend.stack.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.kafka.KafkaBroker;
import dev.videobackend.infra.kafka.KafkaTestClient;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.stack.LocalStack;
import dev.videobackend.stack.ServiceProcess;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/**
 * The soak run: the packaged transcoder, with the JVM options the local stack gives it, takes one short job after
 * another (the next request goes out once the previous job's final event is in) from a Kafka broker in this JVM.
 * After every job it records the transcoder's resident memory, peak resident memory, threads and open file
 * descriptors from {@code /proc/<pid>/} and JavaCPP's figures from its health endpoint; it then writes
 * {@code jobs.csv} and {@code summary.md} into {@code soak.output}, prints PASS or FAIL per target and exits with
 * status 1 if any failed. Run it with {@code ./mvnw -Pbench-soak -DskipTests -pl deploy/local-stack -am verify}.
 */
public final class SoakRun {

    private static final String REQUESTS = "video.transcode.requests";
    private static final String EVENTS = "video.transcode.events";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SoakSettings settings;
    private final Path data;
    private final List<JobSample> samples = new ArrayList<>();

    /** {@code data}: this run's own directory for the media and the transcoder's log, kept for a look afterwards. */
    private SoakRun(SoakSettings settings, Path data) {
        this.settings = settings;
        this.data = data;
    }

    public static void main(String[] arguments) {
        // Kafka runs in this JVM; its chatter goes nowhere, its errors to the terminal.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        av_log_set_level(AV_LOG_ERROR);
        SoakSettings settings;
        try {
            settings = SoakSettings.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            System.err.println("Soak settings: " + e.getMessage());
            System.exit(2);
            return;
        }
        SoakReport report;
        try {
            Files.createDirectories(settings.output());
            report = new SoakRun(settings, Files.createTempDirectory(settings.output(), "run-")).run();
        } catch (IOException e) {
            System.out.println("FAIL: no directory for the run under " + settings.output() + ": " + e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.out.println("FAIL: the soak could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println();
        System.out.print(report.markdown());
        System.out.println("Results: " + settings.output().resolve("jobs.csv") + ", "
                + settings.output().resolve("summary.md"));
        System.exit(report.passed() ? 0 : 1);
    }

    /** Runs every job, or stops at the first that does not end in time; reports what was measured either way. */
    private SoakReport run() {
        System.out.println("Soak: " + settings.describe() + "; media and the transcoder's log in " + data);
        Path media = data.resolve("media");
        Optional<String> error = Optional.empty();
        UUID videoId = UUID.randomUUID();
        Path clip = SampleClip.write(new SampleClip.Spec(settings.width(), settings.height(), 30, settings.seconds(),
                true), media.resolve("sources").resolve(videoId.toString()).resolve("original"));
        int port = FreePort.find();
        URI readiness = URI.create("http://localhost:" + port + "/q/health/ready");
        try (KafkaBroker kafka = KafkaBroker.start(null, 0)) {
            kafka.createTopics(LocalStack.TOPICS);
            try (ServiceProcess transcoder = ServiceProcess.start("transcoder", settings.transcoder(),
                    LocalStack.TRANSCODER_JVM_OPTIONS, environment(Map.of(
                            "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                            "QUARKUS_HTTP_PORT", Integer.toString(port),
                            "TRANSCODER_MEDIA_ROOT", media.toString())),
                    data.resolve("transcoder.log"));
                 KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
                 KafkaTestClient.Reader events = client.reader(EVENTS)) {
                transcoder.awaitReady(readiness, START_TIMEOUT);
                samples.add(new JobSample(0, "", "STARTED", 0, ProcessStatus.of(transcoder.pid()),
                        JavaCppMemory.fetch(readiness)));
                runJobs(new Jobs(client, events, transcoder, videoId, media.relativize(clip), sha256(clip), size(clip)),
                        readiness);
            }
        } catch (RuntimeException e) {
            if (samples.isEmpty()) {
                throw e;
            }
            e.printStackTrace();
            error = Optional.of(e.toString());
        }
        SoakReport report = new SoakReport(settings, LocalStack.TRANSCODER_JVM_OPTIONS, samples, error);
        report.writeCsv(settings.output().resolve("jobs.csv"));
        report.writeMarkdown(settings.output().resolve("summary.md"));
        return report;
    }

    /** The transcoder's environment in the local stack, and the run's. */
    private static Map<String, String> environment(Map<String, String> run) {
        Map<String, String> environment = new HashMap<>(LocalStack.TRANSCODER_ENVIRONMENT);
        environment.putAll(run);
        return environment;
    }

    private void runJobs(Jobs jobs, URI readiness) {
        for (int job = 1; job <= settings.jobs(); job++) {
            UUID jobId = UUID.randomUUID();
            long sent = System.nanoTime();
            jobs.request(jobId);
            JsonNode outcome = jobs.awaitFinal(jobId, settings.jobTimeout());
            double seconds = (System.nanoTime() - sent) / 1e9;
            String type = outcome.path("type").asText();
            JobSample sample = new JobSample(job, jobId.toString(), "TranscodeCompleted".equals(type) ? "COMPLETED"
                    : "FAILED " + outcome.path("code").asText(type), seconds,
                    ProcessStatus.of(jobs.transcoder().pid()), JavaCppMemory.fetch(readiness));
            samples.add(sample);
            System.out.printf("job %3d %-9s %5.1f s  RSS %4d MiB  peak %4d MiB  fds %3d  threads %3d  JavaCPP %d bytes%n",
                    job, sample.outcome(), seconds, sample.process().residentKib() >> 10,
                    sample.process().peakResidentKib() >> 10, sample.process().openFiles(), sample.process().threads(),
                    sample.javacpp().totalBytes());
        }
    }

    /** Requests for the one clip, sent as the catalog sends them, and their final events. */
    private record Jobs(KafkaTestClient client, KafkaTestClient.Reader events, ServiceProcess transcoder,
            UUID videoId, Path source, String sha256, long sizeBytes) {

        void request(UUID jobId) {
            ObjectNode request = JSON.createObjectNode()
                    .put("eventId", UUID.randomUUID().toString())
                    .put("type", "TranscodeRequested")
                    .put("schemaVersion", 1)
                    .put("videoId", videoId.toString())
                    .put("jobId", jobId.toString())
                    .put("occurredAt", Instant.now().toString());
            request.putObject("source")
                    .put("path", source.toString())
                    .put("sizeBytes", sizeBytes)
                    .put("sha256", sha256);
            client.send(REQUESTS, videoId.toString(), request.toString());
        }

        /** Waits for the job's completion or failure; a transcoder that dies meanwhile ends the wait at once. */
        JsonNode awaitFinal(UUID jobId, Duration timeout) {
            Awaitility.await("final event of job " + jobId).atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!transcoder.isAlive()) {
                            throw new IllegalStateException("The transcoder stopped; see " + transcoder.log());
                        }
                        return finalEvent(jobId).isPresent();
                    });
            return finalEvent(jobId).orElseThrow();
        }

        private Optional<JsonNode> finalEvent(UUID jobId) {
            return events.all(record -> record.value().contains(jobId.toString())).stream()
                    .map(record -> parse(record.value()))
                    .filter(event -> jobId.toString().equals(event.path("jobId").asText()))
                    .filter(event -> !"TranscodeProgress".equals(event.path("type").asText()))
                    .findFirst();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("An event that is not JSON: " + json, e);
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }
}
