package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.stack.faults.FaultStack.Upload;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 5 of issue 16: the catalog killed with SIGKILL while a tus upload and a whole {@code PUT} are half sent.
 * The stack's supervisor starts it again; the tus upload resumes where the server says it stands and ends with the
 * very bytes sent (SHA-256); the broken-off {@code PUT} leaves no row and, once nothing can be writing it, no file.
 */
class CatalogCrashFaultIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void aKilledCatalogResumesTusToTheSameBytesAndLeavesNothingOfABrokenOffPut() throws Exception {
        // Abandoned whole-upload files are swept once untouched for twice the idle timeout (60 s); looked for every 5 s.
        try (FaultStack stack = FaultStack.start(data, Map.of("CATALOG_UPLOAD_CLEANUP_INTERVAL", "5s"))) {
            Path clip = stack.clip(8.0);
            byte[] bytes = Files.readAllBytes(clip);
            int half = bytes.length / 2;
            String token = stack.stack().tokens().demoUploader();
            URI catalog = stack.stack().catalogUrl();
            List<Upload> uploads = new ArrayList<>();
            Verdicts.Baseline baseline = stack.warmUp(clip, uploads);

            String tusVideo = stack.client().createVideo("resumed", "fault suite", "test");
            HttpResponse<Void> created = HTTP.send(HttpRequest.newBuilder(catalog.resolve("/api/uploads"))
                    .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0")
                    .header("Upload-Length", Integer.toString(bytes.length))
                    .header("Upload-Metadata", "videoId " + Base64.getEncoder().encodeToString(
                            tusVideo.getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(created.statusCode()).isEqualTo(201);
            URI upload = catalog.resolve(created.headers().firstValue("Location").orElseThrow());
            String putVideo = stack.client().createVideo("broken off", "fault suite", "test");

            CountDownLatch release = new CountDownLatch(1);
            var tusChunk = HTTP.sendAsync(HttpRequest.newBuilder(upload)
                    .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0")
                    .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                    .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new BrokenOffBody(bytes, half, release)), bytes.length))
                    .build(), HttpResponse.BodyHandlers.discarding());
            var put = HTTP.sendAsync(HttpRequest.newBuilder(catalog.resolve("/api/videos/" + putVideo + "/source"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "video/mp4")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new BrokenOffBody(bytes, half, release)))
                    .build(), HttpResponse.BodyHandlers.discarding());
            Path tusSources = stack.mediaRoot().resolve("sources").resolve(tusVideo);
            Path putSources = stack.mediaRoot().resolve("sources").resolve(putVideo);
            // Well into both bodies (the server writes in blocks), and long before their idle timeout (30 s).
            Awaitility.await("both bodies half received").atMost(Duration.ofSeconds(25))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> partialBytes(tusSources) >= half / 2 && partialBytes(putSources) >= half / 2);

            long tusAtKill = partialBytes(tusSources);
            long putAtKill = partialBytes(putSources);
            stack.killCatalog();
            release.countDown();
            assertThat(tusChunk).failsWithin(Duration.ofSeconds(60));
            assertThat(put).failsWithin(Duration.ofSeconds(60));

            HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(upload)
                    .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0")
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            int offset = Integer.parseInt(head.headers().firstValue("Upload-Offset").orElseThrow());
            assertThat(offset).isBetween(0, half);
            HttpResponse<Void> rest = HTTP.send(HttpRequest.newBuilder(upload)
                    .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0")
                    .header("Upload-Offset", Integer.toString(offset))
                    .header("Content-Type", "application/offset+octet-stream")
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(bytes, offset, bytes.length)))
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(rest.statusCode()).isEqualTo(204);
            String tusJob = rest.headers().firstValue("Video-Job-Id").orElseThrow();
            System.out.printf("[faults] scenario 5: catalog killed with %d (tus) and %d (PUT) of %d bytes on disk;"
                    + " tus resumed from offset %d%n", tusAtKill, putAtKill, bytes.length, offset);

            assertThat(stack.video(putVideo).get("status").asText()).as("no source row for the broken-off PUT")
                    .isEqualTo("AWAITING_UPLOAD");
            Awaitility.await("the broken-off PUT's file swept").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> partialBytes(putSources) < 0);
            Upload whole = new Upload(putVideo, stack.client().upload(putVideo, clip).get("jobId").asText(), sha256(bytes));
            uploads.add(new Upload(tusVideo, tusJob, sha256(bytes)));
            uploads.add(whole);

            Map<String, JsonNode> settled = stack.awaitSettled(uploads, Duration.ofMinutes(10));
            Verdicts.everyUploadSettled(settled, Set.of());
            assertThat(stack.storedSourceSha256(tusVideo)).as("the resumed upload is the bytes sent").isEqualTo(sha256(bytes));
            assertThat(stack.storedSourceSha256(putVideo)).isEqualTo(sha256(bytes));
            Verdicts.oneOutcomePerJob(stack, uploads);
            Verdicts.oneOutcomeApplied(stack, uploads);
            Verdicts.nothingOrphaned(stack, uploads, settled);
            assertThat(stack.stack().catalog().restarts()).isEqualTo(1);
            Verdicts.backToBaseline(stack, baseline, "scenario 5");
        }
    }

    /** The size of the one partial file in a video's source directory, or -1 when there is none. */
    private static long partialBytes(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return -1;
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> partial = files.filter(file -> file.getFileName().toString().endsWith(".part")).toList();
            return partial.isEmpty() ? -1 : Files.size(partial.get(0));
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
