package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.stack.CatalogClient;
import dev.videobackend.stack.LocalStack;
import dev.videobackend.stack.ServiceProcess;
import dev.videobackend.stack.soak.ProcessStatus;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fault suite's harness: the local stack (embedded PostgreSQL and Kafka, the packaged catalog and transcoder as
 * supervised child processes) driven through the catalog's public API, with the faults to inject: SIGKILL of a
 * service, and stops and starts of the broker and the database on their data and ports.
 */
final class FaultStack implements AutoCloseable {

    static final Path CATALOG = Path.of(System.getProperty("catalog.app"));
    static final Path TRANSCODER = Path.of(System.getProperty("transcoder.app"));
    static final Duration START = Duration.ofSeconds(240);
    /** The transcoder's log line of a job it transcoded. */
    private static final Pattern TRANSCODED = Pattern.compile("Job (\\S+) of video \\S+: \\d+ renditions in ");

    /** An upload the catalog acknowledged (202): from then on it must end READY or FAILED with a code. */
    record Upload(String videoId, String jobId, String sha256) {
    }

    private final LocalStack stack;
    private final CatalogClient client;
    /** Reads every video, whoever uploaded it. */
    private final CatalogClient admin;
    private final LocalStack.Settings settings;

    private FaultStack(LocalStack stack, LocalStack.Settings settings) {
        this.stack = stack;
        this.settings = settings;
        this.client = new CatalogClient(stack.catalogUrl(), stack.tokens().demoUploader());
        this.admin = new CatalogClient(stack.catalogUrl(), stack.tokens().admin());
    }

    /**
     * Starts the stack; the uploader's quota of transcodes at once is lifted so that a stream of jobs can queue, and
     * {@code catalogEnvironment} adds the scenario's own settings.
     */
    static FaultStack start(Path data, Map<String, String> catalogEnvironment) {
        Map<String, String> environment = new LinkedHashMap<>(Map.of("CATALOG_QUOTA_MAX_ACTIVE_TRANSCODES", "1000"));
        environment.putAll(catalogEnvironment);
        LocalStack.Settings settings = new LocalStack.Settings(data, FreePort.find(), FreePort.find(), CATALOG,
                TRANSCODER, false, environment);
        return new FaultStack(LocalStack.start(settings), settings);
    }

    LocalStack stack() {
        return stack;
    }

    CatalogClient client() {
        return client;
    }

    /** A generated clip of {@code seconds} at 640x360, with sound, written once per data directory. */
    Path clip(double seconds) {
        Path clip = settings.dataDirectory().resolve("clips").resolve(seconds + "s.mp4");
        return clip.toFile().isFile() ? clip : SampleClip.write(new SampleClip.Spec(640, 360, 30, seconds, true), clip);
    }

    /** Creates a video and uploads {@code clip} as its source with one PUT; returns what the catalog acknowledged. */
    Upload upload(String title, Path clip) {
        String id = client.createVideo(title, "fault suite", "test");
        JsonNode accepted = client.upload(id, clip);
        return new Upload(id, accepted.get("jobId").asText(), accepted.get("sha256").asText());
    }

    JsonNode video(String id) {
        return admin.video(id);
    }

    /** Waits until every upload is READY or FAILED; returns their videos by id. */
    Map<String, JsonNode> awaitSettled(Collection<Upload> uploads, Duration timeout) {
        Map<String, JsonNode> settled = new LinkedHashMap<>();
        Awaitility.await("every acknowledged upload READY or FAILED").atMost(timeout)
                .pollInterval(Duration.ofSeconds(2)).until(() -> {
                    for (Upload upload : uploads) {
                        if (!settled.containsKey(upload.videoId())) {
                            JsonNode video = video(upload.videoId());
                            if (Set.of("READY", "FAILED").contains(video.get("status").asText())) {
                                settled.put(upload.videoId(), video);
                            }
                        }
                    }
                    return settled.size() == uploads.size();
                });
        return settled;
    }

    /** Waits until one of {@code uploads} is being encoded, as its video's progress tells; returns it. */
    Upload awaitEncoding(List<Upload> uploads) {
        Upload[] found = new Upload[1];
        Awaitility.await("a job encoding").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    for (Upload upload : uploads) {
                        JsonNode video = video(upload.videoId());
                        if ("PROCESSING".equals(video.get("status").asText())
                                && "ENCODING".equals(video.path("progress").path("stage").asText())) {
                            found[0] = upload;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    /** The HTTP status of the catalog's readiness check. */
    int catalogReadiness() {
        return client.status(stack.catalogUrl().resolve("/q/health/ready"));
    }

    /** SIGKILL of the transcoder, then waits for the supervisor to start it again and for it to be ready. */
    void killTranscoder() {
        kill(stack.transcoder(), stack.transcoderUrl());
    }

    /** SIGKILL of the catalog, then waits for the supervisor to start it again and for it to be ready. */
    void killCatalog() {
        kill(stack.catalog(), stack.catalogUrl());
    }

    private static void kill(ServiceProcess service, URI url) {
        int restarts = service.restarts();
        ProcessHandle.of(service.pid()).ifPresent(ProcessHandle::destroyForcibly);
        Awaitility.await("restarted").atMost(START).pollInterval(Duration.ofMillis(200))
                .until(() -> service.restarts() > restarts && service.isAlive());
        service.awaitReady(url.resolve("/q/health/ready"), START);
    }

    /** The SHA-256 of the source the catalog stored for a video (its one visible file under {@code sources/}). */
    String storedSourceSha256(String videoId) throws IOException, NoSuchAlgorithmException {
        try (Stream<Path> files = Files.list(mediaRoot().resolve("sources").resolve(videoId))) {
            List<Path> stored = files.filter(file -> !file.getFileName().toString().startsWith(".")).toList();
            if (stored.size() != 1) {
                throw new IllegalStateException("Not one source for video " + videoId + ": " + stored);
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(stored.get(0))));
        }
    }

    /** The jobs a transcoder replica transcoded itself (not those it found published and sent again), by its log. */
    static Set<String> transcodedBy(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.map(TRANSCODED::matcher).filter(Matcher::find).map(match -> match.group(1))
                    .collect(Collectors.toSet());
        }
    }

    EventLog transcodeEvents() {
        return EventLog.read(stack.kafka().bootstrapServers(), "video.transcode.events");
    }

    EventLog transcodeRequests() {
        return EventLog.read(stack.kafka().bootstrapServers(), "video.transcode.requests");
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(stack.postgres().jdbcUrl(), stack.postgres().user(),
                stack.postgres().password());
    }

    ProcessStatus catalogStatus() {
        return ProcessStatus.of(stack.catalog().pid());
    }

    Path mediaRoot() {
        return stack.mediaRoot();
    }

    List<Long> servicePids() {
        return stack.servicePids();
    }

    @Override
    public void close() {
        stack.close();
    }
}
