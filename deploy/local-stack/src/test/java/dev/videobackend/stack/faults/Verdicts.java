package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.stack.ServiceProcess;
import dev.videobackend.stack.faults.FaultStack.Upload;
import dev.videobackend.stack.soak.ProcessStatus;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every fault scenario checks afterwards, as the issue states it: every acknowledged upload ends READY or in a
 * specific FAILED code; exactly one outcome per job, published and applied; no orphaned file or row; the catalog's
 * and the transcoder's files, threads and memory back to their baseline.
 */
final class Verdicts {

    private static final Duration SETTLE = Duration.ofSeconds(120);

    private Verdicts() {
    }

    /** Every upload is READY, or FAILED with one of {@code failureCodes}; never FAILED without a code. */
    static void everyUploadSettled(Map<String, JsonNode> settled, Set<String> failureCodes) {
        assertThat(settled.values()).allSatisfy(video -> {
            if ("FAILED".equals(video.get("status").asText())) {
                assertThat(video.path("failure").path("code").asText()).as("failure of " + video.get("id"))
                        .isIn(failureCodes);
            } else {
                assertThat(video.get("status").asText()).isEqualTo("READY");
                assertThat(video.path("media").path("hls").asText()).contains(video.get("id").asText());
            }
        });
    }

    /**
     * One request and one outcome per job on the topics: a single event id each (Kafka may hold an outcome twice
     * under the same id after a rebalance; consumers de-duplicate on it), and every published id distinct.
     */
    static void oneOutcomePerJob(FaultStack stack, Collection<Upload> uploads) {
        EventLog requests = stack.transcodeRequests();
        EventLog events = stack.transcodeEvents();
        for (Upload upload : uploads) {
            assertThat(requests.ofJob(upload.jobId())).as("requests of job " + upload.jobId())
                    .extracting(event -> event.get("eventId").asText()).hasSizeGreaterThanOrEqualTo(1)
                    .containsOnly(requests.ofJob(upload.jobId()).get(0).get("eventId").asText());
            List<JsonNode> finals = events.finalsOf(upload.jobId());
            assertThat(finals).as("outcomes of job " + upload.jobId()).isNotEmpty();
            assertThat(finals).extracting(event -> event.get("eventId").asText()).as("outcome ids of " + upload.jobId())
                    .containsOnly(finals.get(0).get("eventId").asText());
        }
    }

    /** The catalog applied exactly one outcome per job: as many rows of its inbox per video as it had jobs. */
    static void oneOutcomeApplied(FaultStack stack, Collection<Upload> uploads) throws SQLException {
        Map<String, Long> applied = new HashMap<>();
        try (Connection connection = stack.database(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT video_id, count(*) FROM inbox_event
                        WHERE event_type IN ('TranscodeCompleted', 'TranscodeFailed') GROUP BY video_id""")) {
            while (rows.next()) {
                applied.put(rows.getString(1), rows.getLong(2));
            }
        }
        Map<String, Long> jobs = uploads.stream().collect(Collectors.groupingBy(Upload::videoId, Collectors.counting()));
        assertThat(jobs).allSatisfy((video, count) -> assertThat(applied.get(video))
                .as("outcomes applied to " + video).isEqualTo(count));
    }

    /**
     * Nothing left behind: every outbox row sent, no file removal pending, no partial upload or staging directory,
     * no attempts file of a finished job, of each video's renditions only its current job's, and no source file of a
     * video without an acknowledged upload.
     */
    static void nothingOrphaned(FaultStack stack, Collection<Upload> uploads, Map<String, JsonNode> settled)
            throws IOException {
        Awaitility.await("outbox sent, removals done").atMost(SETTLE).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    assertThat(count(stack, "SELECT count(*) FROM outbox_event WHERE sent_at IS NULL")).isZero();
                    assertThat(count(stack, "SELECT count(*) FROM file_deletion")).isZero();
                });
        Path media = stack.mediaRoot();
        assertThat(files(media)).as("partial uploads, staging directories and their locks")
                .map(path -> path.getFileName().toString())
                .noneMatch(name -> name.endsWith(".part") || name.endsWith(".partial") || name.endsWith(".lock"));
        assertThat(uploads).filteredOn(upload -> "READY".equals(settled.get(upload.videoId()).get("status").asText()))
                .as("attempts files of completed jobs")
                .allSatisfy(upload -> assertThat(media.resolve(".jobs").resolve(upload.jobId() + ".attempts")).doesNotExist());
        for (JsonNode video : settled.values()) {
            Path renditions = media.resolve("renditions").resolve(video.get("id").asText());
            Set<String> jobs = children(renditions);
            if ("READY".equals(video.get("status").asText())) {
                String hls = video.path("media").path("hls").asText();
                assertThat(jobs).as("renditions of " + video.get("id")).hasSize(1)
                        .allSatisfy(job -> assertThat(hls).contains("/" + job + "/"));
            } else {
                assertThat(jobs).as("renditions of failed " + video.get("id")).isEmpty();
            }
        }
        for (String video : children(media.resolve("sources"))) {
            if (!settled.containsKey(video)) {
                assertThat(files(media.resolve("sources").resolve(video))).as("sources of " + video
                        + ", which has no acknowledged upload").isEmpty();
            }
        }
    }

    /** One service process as measured: its status, and how many of its descriptors are not sockets. */
    record Snapshot(long pid, ProcessStatus status, long nonSockets) {

        static Snapshot of(long pid) throws IOException {
            return new Snapshot(pid, ProcessStatus.of(pid), Verdicts.nonSockets(pid));
        }
    }

    /** The catalog and the (first) transcoder before a fault. */
    record Baseline(Snapshot catalog, Snapshot transcoder) {
    }

    static Baseline baseline(FaultStack stack) throws IOException {
        return new Baseline(Snapshot.of(stack.stack().catalog().pid()), Snapshot.of(stack.stack().transcoder().pid()));
    }

    /**
     * The catalog and the transcoder back to their baseline: descriptors other than sockets (files, pipes) within a
     * small margin, threads likewise, and resident memory not run away. Sockets are only reported: the database pool
     * and idle client connections kept alive grow with the load and shrink only when idle long enough. A service the
     * scenario killed is held to the baseline of the process it replaced. The figures go to the test's output.
     */
    static void backToBaseline(FaultStack stack, Baseline baseline, String scenario) throws IOException {
        backToBaseline("catalog", stack.stack().catalog(), baseline.catalog(), scenario);
        backToBaseline("transcoder", stack.stack().transcoder(), baseline.transcoder(), scenario);
    }

    private static void backToBaseline(String name, ServiceProcess service, Snapshot before, String scenario)
            throws IOException {
        Awaitility.await(name + "'s files, threads and memory back to baseline").atMost(SETTLE)
                .pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                    Snapshot now = Snapshot.of(service.pid());
                    assertThat(now.nonSockets()).as(name + "'s open files other than sockets")
                            .isLessThanOrEqualTo(before.nonSockets() + 8);
                    assertThat(now.status().threads()).as(name + "'s threads")
                            .isLessThanOrEqualTo(before.status().threads() + 24);
                    assertThat(now.status().residentKib()).as(name + "'s resident KiB").isLessThanOrEqualTo(Math.max(
                            before.status().residentKib() * 3 / 2, before.status().residentKib() + 262144));
                });
        Snapshot now = Snapshot.of(service.pid());
        System.out.printf("[faults] %s: %s baseline RSS %d MiB, %d descriptors (%d not sockets), %d threads;"
                        + " after%s: RSS %d MiB, %d descriptors (%d not sockets), %d threads%n", scenario, name,
                before.status().residentKib() >> 10, before.status().openFiles(), before.nonSockets(),
                before.status().threads(), now.pid() == before.pid() ? "" : " (a new process, restarted)",
                now.status().residentKib() >> 10, now.status().openFiles(), now.nonSockets(), now.status().threads());
    }

    private static long nonSockets(long pid) throws IOException {
        long count = 0;
        for (Path descriptor : files(Path.of("/proc", Long.toString(pid), "fd"))) {
            try {
                if (!Files.readSymbolicLink(descriptor).toString().startsWith("socket:")) {
                    count++;
                }
            } catch (IOException closedMeanwhile) {
                // the descriptor went while the directory was listed
            }
        }
        return count;
    }

    private static long count(FaultStack stack, String sql) throws SQLException {
        try (Connection connection = stack.database(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> !path.equals(root)).toList();
        }
    }

    private static Set<String> children(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Set.of();
        }
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.map(path -> path.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
