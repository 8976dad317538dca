package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.stack.CatalogClient;
import dev.videobackend.stack.faults.FaultStack.Upload;
import dev.videobackend.stack.soak.ProcessStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 6 of issue 16: whole uploads at once (two bodies per uploader, the per-uploader limit) and tus uploads
 * (one uploader each) broken off half way and resumed, of sizes spread evenly up to the configured maximum upload
 * size, while a reader keeps asking for one video. Every byte is accounted for by its SHA-256, every upload is
 * transcoded once, the reader is still answered (its latencies reported), the catalog's heap (after a full GC) and
 * resident memory stay flat and both services come back to their baseline. Scaled by default (40 whole and 10
 * resumed uploads up to 4 MiB); the 200 and 50, up to 32 MiB (the disk bounds the maximum), with
 * {@code -Dfaults.full=true}; {@code -Dfaults.flood.uploaders}, {@code -Dfaults.flood.resumed} and
 * {@code -Dfaults.flood.max-mib} set each.
 */
class UploadFloodFaultIT {

    private static final int UPLOADERS = FaultStack.size("faults.flood.uploaders", 20, 100);
    private static final int WHOLE_PER_UPLOADER = 2;
    private static final int RESUMED = FaultStack.size("faults.flood.resumed", 10, 50);
    private static final long MAX_BYTES = FaultStack.size("faults.flood.max-mib", 4, 32) * 1024L * 1024;
    /** Upload sizes: eighths of the maximum (at least the clip), the largest the maximum itself. */
    private static final int SIZES = 8;
    /** How much the catalog's live heap may grow across the flood: caches, not the uploads' bodies. */
    private static final long HEAP_GROWTH_KIB = 64 * 1024;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    /** A source of one size: its file, bytes and SHA-256. */
    private record Source(Path file, byte[] bytes, String sha256) {
    }

    @Test
    void aFloodOfUploadsIsAccountedForByteForByteWhileReadsAreAnswered() throws Exception {
        try (FaultStack stack = FaultStack.start(data, Map.of("CATALOG_MEDIA_MAX_UPLOAD_BYTES",
                Long.toString(MAX_BYTES)))) {
            Path clip = stack.clip(2.0);
            List<Source> sources = new ArrayList<>();
            for (int size = 1; size <= SIZES; size++) {
                sources.add(padded(clip, Math.max(Files.size(clip), MAX_BYTES * size / SIZES)));
            }
            List<Upload> uploads = new CopyOnWriteArrayList<>();
            Verdicts.Baseline baseline = stack.warmUp(clip, uploads);
            Upload warmUp = uploads.get(0);
            long heapBefore = stack.catalogHeapAfterGcKib();

            List<CatalogClient> uploaders = new ArrayList<>();
            for (int u = 0; u < UPLOADERS; u++) {
                uploaders.add(new CatalogClient(stack.stack().catalogUrl(),
                        stack.stack().tokens().sign("flood-" + u, List.of("uploader"))));
            }
            List<Runnable> tasks = new ArrayList<>();
            for (int i = 0; i < UPLOADERS * WHOLE_PER_UPLOADER; i++) {
                CatalogClient client = uploaders.get(i % UPLOADERS);
                Source source = sources.get(i % SIZES);
                String id = client.createVideo("whole " + i, "fault suite", "test");
                tasks.add(() -> {
                    JsonNode accepted = client.upload(id, source.file());
                    assertThat(accepted.get("sha256").asText()).isEqualTo(source.sha256());
                    uploads.add(new Upload(id, accepted.get("jobId").asText(), source.sha256()));
                });
            }
            for (int i = 0; i < RESUMED; i++) {
                // Uploaders of their own: the others already send as many bodies at once as one may.
                String token = stack.stack().tokens().sign("flood-tus-" + i, List.of("uploader"));
                Source source = sources.get(i % SIZES);
                String id = new CatalogClient(stack.stack().catalogUrl(), token)
                        .createVideo("resumed " + i, "fault suite", "test");
                tasks.add(() -> uploads.add(new Upload(id, brokenOffThenResumed(stack, token, id, source.bytes()),
                        source.sha256())));
            }
            long bytes = 0;
            for (int i = 0; i < UPLOADERS * WHOLE_PER_UPLOADER + RESUMED; i++) {
                bytes += sources.get(i % SIZES).bytes().length;
            }

            List<Long> reads = new CopyOnWriteArrayList<>();
            AtomicBoolean flooding = new AtomicBoolean(true);
            ExecutorService reader = Executors.newSingleThreadExecutor();
            Future<?> probe = reader.submit(() -> {
                while (flooding.get()) {
                    long sent = System.nanoTime();
                    stack.video(warmUp.videoId());
                    reads.add(System.nanoTime() - sent);
                }
            });
            ExecutorService senders = Executors.newFixedThreadPool(tasks.size());
            long began = System.nanoTime();
            CompletableFuture.allOf(tasks.stream().map(task -> CompletableFuture.runAsync(task, senders))
                    .toArray(CompletableFuture[]::new)).get();
            long flood = System.nanoTime() - began;
            flooding.set(false);
            probe.get();
            reader.shutdown();
            senders.shutdown();
            ProcessStatus afterFlood = stack.catalogStatus();

            long[] sorted = reads.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("[faults] scenario 6: %d whole and %d resumed uploads, %d MiB in all (%d to %d bytes"
                            + " each), in %.1f s; during it video(id) answered %d times, p50 %.0f ms, p99 %.0f ms, max"
                            + " %.0f ms; catalog RSS %d MiB before, %d MiB right after%n",
                    UPLOADERS * WHOLE_PER_UPLOADER, RESUMED, bytes >> 20, sources.get(0).bytes().length,
                    sources.get(SIZES - 1).bytes().length, flood / 1e9, sorted.length, percentile(sorted, 0.5),
                    percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6,
                    baseline.catalog().status().residentKib() >> 10, afterFlood.residentKib() >> 10);
            assertThat(sorted).as("reads answered during the flood").isNotEmpty();

            Map<String, JsonNode> settled = stack.awaitSettled(uploads,
                    Duration.ofMinutes(20).plusSeconds(5L * uploads.size()));
            assertThat(uploads).hasSize(1 + UPLOADERS * WHOLE_PER_UPLOADER + RESUMED);
            Verdicts.everyUploadSettled(settled, Set.of());
            for (Upload upload : uploads) {
                assertThat(stack.storedSourceSha256(upload.videoId())).as("bytes of " + upload.videoId())
                        .isEqualTo(upload.sha256());
            }
            Verdicts.oneOutcomePerJob(stack, uploads);
            Verdicts.oneOutcomeApplied(stack, uploads);
            Verdicts.nothingOrphaned(stack, uploads, settled);
            long heapAfter = stack.catalogHeapAfterGcKib();
            System.out.printf("[faults] scenario 6: catalog heap after a full GC %d MiB before the flood, %d MiB after"
                    + " it settled%n", heapBefore >> 10, heapAfter >> 10);
            assertThat(heapAfter).as("catalog's live heap KiB").isLessThanOrEqualTo(heapBefore + HEAP_GROWTH_KIB);
            Verdicts.backToBaseline(stack, baseline, "scenario 6");
        }
    }

    /**
     * {@code clip} padded to {@code size} bytes with an MP4 {@code free} box, which demuxers skip: an upload of any
     * size whose transcode costs no more than the clip's.
     */
    private Source padded(Path clip, long size) throws IOException, NoSuchAlgorithmException {
        byte[] media = Files.readAllBytes(clip);
        // A box has an 8-byte header: with less room than that, the clip itself.
        int padding = size - media.length >= 8 ? (int) (size - media.length) : 0;
        byte[] bytes = Arrays.copyOf(media, media.length + padding);
        if (padding > 0) {
            ByteBuffer.wrap(bytes, media.length, 8).putInt(padding).put("free".getBytes(StandardCharsets.US_ASCII));
        }
        Path file = Files.write(data.resolve("source-" + bytes.length + ".mp4"), bytes);
        return new Source(file, bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    /** A tus upload whose first chunk breaks off half way; resumed from where the server says; returns its job. */
    private static String brokenOffThenResumed(FaultStack stack, String token, String videoId, byte[] bytes) {
        try {
            URI catalog = stack.stack().catalogUrl();
            HttpResponse<Void> created = HTTP.send(HttpRequest.newBuilder(catalog.resolve("/api/uploads"))
                    .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0")
                    .header("Upload-Length", Integer.toString(bytes.length))
                    .header("Upload-Metadata", "videoId " + Base64.getEncoder().encodeToString(
                            videoId.getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(created.statusCode()).isEqualTo(201);
            URI upload = catalog.resolve(created.headers().firstValue("Location").orElseThrow());
            CountDownLatch brokenAtOnce = new CountDownLatch(0);
            try {
                HTTP.send(HttpRequest.newBuilder(upload)
                        .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0")
                        .header("Upload-Offset", "0").header("Content-Type", "application/offset+octet-stream")
                        .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers
                                .ofInputStream(() -> new BrokenOffBody(bytes, bytes.length / 2, brokenAtOnce)),
                                bytes.length))
                        .build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException expected) {
                // the client's side of the broken-off chunk
            }
            // As tus clients do: ask where the upload stands and send the rest; a 409 (the broken-off chunk's request
            // still holds the upload, or moved its offset meanwhile) or a dropped connection means ask again.
            String[] job = new String[1];
            Awaitility.await("the rest of " + videoId + " accepted").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(upload)
                                .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0")
                                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                                HttpResponse.BodyHandlers.discarding());
                        int offset = Integer.parseInt(head.headers().firstValue("Upload-Offset").orElseThrow());
                        HttpResponse<Void> rest = HTTP.send(HttpRequest.newBuilder(upload)
                                .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0")
                                .header("Upload-Offset", Integer.toString(offset))
                                .header("Content-Type", "application/offset+octet-stream")
                                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(
                                        Arrays.copyOfRange(bytes, offset, bytes.length)))
                                .build(), HttpResponse.BodyHandlers.discarding());
                        assertThat(rest.statusCode()).as("the rest of " + videoId + " from offset " + offset)
                                .isIn(204, 409);
                        rest.headers().firstValue("Video-Job-Id").ifPresent(id -> job[0] = id);
                        return rest.statusCode() == 204;
                    });
            return job[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
