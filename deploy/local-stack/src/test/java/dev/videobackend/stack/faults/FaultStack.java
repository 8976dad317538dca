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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
    /** Set with {@code -Dfaults.full=true}: the flood and the backlog at the full size, not scaled down. */
    static final boolean FULL = Boolean.getBoolean("faults.full");
    /** The transcoder's log line of a job it transcoded. */
    private static final Pattern TRANSCODED = Pattern.compile("Job (\\S+) of video \\S+: \\d+ renditions in ");
    /** The transcoder's log line of a job it started encoding (logged once its source is probed). */
    private static final Pattern STARTED = Pattern.compile("Job (\\S+): \\d+ rungs of \\d+ frames");
    /** The transcoder's log lines of a job that stopped running there: its outcome sent, or handed back. */
    private static final Pattern STOPPED = Pattern.compile("Job (\\S+) (?:ended |\\(attempt \\d+\\) is handed back)");

    /** An upload the catalog acknowledged (202): from then on it must end READY or FAILED with a code. */
    record Upload(String videoId, String jobId, String sha256) {
    }

    /** Paces a stream of requests (never used to wait for something: Awaitility does that). */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A scenario's size: {@code -D<property>=n} if given, else {@code full} with {@link #FULL}, else {@code scaled}. */
    static int size(String property, int scaled, int full) {
        return Integer.getInteger(property, FULL ? full : scaled);
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
        Map<String, String> environment = new LinkedHashMap<>(Map.of("CATALOG_QUOTA_MAX_ACTIVE_TRANSCODES", "100000"));
        environment.putAll(catalogEnvironment);
        LocalStack.Settings settings = new LocalStack.Settings(data, FreePort.find(), FreePort.find(), CATALOG,
                TRANSCODER, false, environment);
        LocalStack stack = LocalStack.start(settings);
        // The scenarios keep their temporary directory when they fail (CleanupMode.ON_SUCCESS): say where it is.
        System.out.printf("[faults] data under %s, the services' logs in %s%n", data, stack.logDirectory());
        return new FaultStack(stack, settings);
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

    /** Transcodes a video's stored source again, as its owner would; returns the new job as an upload of its own. */
    Upload retranscode(Upload upload) throws SQLException {
        client.graphql("mutation($id: ID!) { retranscode(id: $id) { status } }", Map.of("id", upload.videoId()));
        // The API does not show job ids; the row does.
        try (Connection connection = database(); PreparedStatement select = connection.prepareStatement(
                "SELECT job_id FROM video WHERE id = ?::uuid")) {
            select.setString(1, upload.videoId());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new Upload(upload.videoId(), row.getString(1), upload.sha256());
            }
        }
    }

    /**
     * Uploads {@code clip} once and waits for it to settle, so that the services are measured warm (code compiled,
     * pools filled, FFmpeg loaded); adds the warm-up to {@code uploads} (its verdicts are the scenario's) and returns
     * the services' baseline.
     */
    Verdicts.Baseline warmUp(Path clip, Collection<Upload> uploads) throws IOException {
        Upload warmUp = upload("warm-up", clip);
        uploads.add(warmUp);
        awaitSettled(List.of(warmUp), Duration.ofMinutes(5));
        return Verdicts.baseline(this);
    }

    JsonNode video(String id) {
        return admin.video(id);
    }

    /**
     * Waits until every upload's video is READY or FAILED; returns the videos by id, each read once over GraphQL
     * when its row says it settled (polling a thousand videos over GraphQL would load the catalog more than the
     * scenario does). A video retranscoded after a failure is given as two uploads, its last job last.
     */
    Map<String, JsonNode> awaitSettled(Collection<Upload> uploads, Duration timeout) {
        Map<String, JsonNode> settled = new LinkedHashMap<>();
        Set<String> videos = uploads.stream().map(Upload::videoId).collect(Collectors.toCollection(LinkedHashSet::new));
        Awaitility.await("every acknowledged upload READY or FAILED").atMost(timeout)
                .pollInterval(Duration.ofSeconds(2)).ignoreExceptionsInstanceOf(SQLException.class).until(() -> {
                    List<String> pending = videos.stream().filter(video -> !settled.containsKey(video)).toList();
                    for (String video : videosIn(pending, "READY", "FAILED")) {
                        settled.put(video, video(video));
                    }
                    return settled.size() == videos.size();
                });
        return settled;
    }

    /** How many of {@code uploads}' videos are READY, by their rows. */
    long countReady(Collection<Upload> uploads) throws SQLException {
        return videosIn(uploads.stream().map(Upload::videoId).distinct().toList(), "READY").size();
    }

    private List<String> videosIn(List<String> videos, String... statuses) throws SQLException {
        try (Connection connection = database(); PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM video WHERE id = ANY (?) AND status = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("uuid", videos.toArray()));
            select.setArray(2, connection.createArrayOf("varchar", statuses));
            List<String> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
            return found;
        }
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
        return jobsLogged(log, TRANSCODED);
    }

    /** The jobs a transcoder's log shows started encoding, whether they finished or not. */
    static Set<String> startedBy(Path log) throws IOException {
        return jobsLogged(log, STARTED);
    }

    /** A job a transcoder's log shows encoding now: started, and neither ended nor handed back since. */
    static Optional<String> runningOn(Path log) throws IOException {
        Set<String> running = new LinkedHashSet<>(startedBy(log));
        running.removeAll(jobsLogged(log, STOPPED));
        return running.stream().findAny();
    }

    private static Set<String> jobsLogged(Path log, Pattern line) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.map(line::matcher).filter(Matcher::find).map(match -> match.group(1))
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

    /**
     * The catalog's heap in use right after a full GC (what it holds, not what it has yet to collect): {@code jcmd}
     * runs the GC, the catalog's own meters tell the heap.
     */
    long catalogHeapAfterGcKib() throws IOException, InterruptedException {
        Process gc = new ProcessBuilder("jcmd", Long.toString(stack.catalog().pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(2, TimeUnit.MINUTES) || gc.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run failed on the catalog");
        }
        HttpResponse<Stream<String>> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(stack.catalogUrl().resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofLines());
        return (long) metrics.body().filter(line -> line.startsWith("jvm_memory_used_bytes{")
                        && line.contains("area=\"heap\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum() >> 10;
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
