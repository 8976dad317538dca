package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.videobackend.stack.faults.FaultStack.Upload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Scenario 8 of issue 16: the media directory on a real 48 MiB file system ({@code tmpfs}, which needs root), filled
 * up. An upload is refused with {@code 507 INSUFFICIENT_STORAGE} and leaves nothing behind; once there is room again
 * the same upload is taken and transcoded. With room for an upload but not for its ladder, the job fails
 * {@code STORAGE_FULL} and publishes nothing; once there is room again its retranscode completes. Skipped, saying so,
 * where nothing can be mounted.
 */
class DiskFullFaultIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    @Test
    void aFullMediaVolumeRefusesUploadsWith507AndTakesThemOnceThereIsRoom() throws Exception {
        Path media = Files.createDirectories(data.resolve("media"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", media.toString()),
                "needs root and mount -t tmpfs for a small file system");
        try (FaultStack stack = FaultStack.start(data, Map.of())) {
            Path clip = stack.clip(4.0);
            List<Upload> uploads = new ArrayList<>();
            Verdicts.Baseline baseline = stack.warmUp(clip, uploads);

            Path filler = media.resolve("filler");
            long free = fill(filler, 256 * 1024);
            String refused = stack.client().createVideo("refused", "fault suite", "test");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            stack.stack().catalogUrl().resolve("/api/videos/" + refused + "/source"))
                    .header("Authorization", "Bearer " + stack.stack().tokens().demoUploader())
                    .header("Content-Type", "video/mp4").timeout(Duration.ofMinutes(2))
                    .PUT(HttpRequest.BodyPublishers.ofFile(clip)).build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf("[faults] scenario 8: %d bytes left free, a %d-byte upload answered %d %s%n", free,
                    Files.size(clip), answer.statusCode(), answer.body());

            assertThat(answer.statusCode()).isEqualTo(507);
            assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.get("code").asText()).isEqualTo("INSUFFICIENT_STORAGE");
            assertThat(stack.video(refused).get("status").asText()).isEqualTo("AWAITING_UPLOAD");
            try (Stream<Path> left = Files.walk(media.resolve("sources"))) {
                assertThat(left.filter(path -> path.toString().contains(refused)).filter(Files::isRegularFile))
                        .as("nothing kept of the refused upload").isEmpty();
            }

            Files.delete(filler);
            uploads.add(stack.upload("refused, then taken", clip));
            stack.awaitSettled(uploads, Duration.ofMinutes(5));

            // The job half: room for the source, not for its ladder (the progressive MP4 alone is about its size).
            free = fill(filler, Files.size(clip) + 512 * 1024);
            Upload starved = stack.upload("transcoded on a full volume", clip);
            uploads.add(starved);
            JsonNode failed = stack.awaitSettled(List.of(starved), Duration.ofMinutes(5)).get(starved.videoId());
            System.out.printf("[faults] scenario 8: %d bytes left free, a %d-byte upload taken, its job ended %s %s%n",
                    free, Files.size(clip), failed.get("status").asText(), failed.path("failure"));
            assertThat(failed.get("status").asText()).isEqualTo("FAILED");
            assertThat(failed.path("failure").path("code").asText()).isEqualTo("STORAGE_FULL");
            try (Stream<Path> left = Files.walk(media.resolve("renditions"))) {
                assertThat(left.filter(path -> path.toString().contains(starved.videoId()))
                        .filter(path -> !path.endsWith(starved.videoId())))
                        .as("nothing staged or published of the failed job").isEmpty();
            }

            Files.delete(filler);
            uploads.add(stack.retranscode(starved));
            Map<String, JsonNode> settled = stack.awaitSettled(uploads, Duration.ofMinutes(5));
            Verdicts.everyUploadSettled(settled, Set.of());
            Verdicts.oneOutcomePerJob(stack, uploads);
            Verdicts.oneOutcomeApplied(stack, uploads);
            Verdicts.nothingOrphaned(stack, uploads, settled);
            Verdicts.backToBaseline(stack, baseline, "scenario 8");
        } finally {
            run("umount", media.toString());
        }
    }

    /** Writes zeros into {@code filler} until only about {@code leave} bytes are free; returns what is left. */
    private static long fill(Path filler, long leave) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (Files.getFileStore(filler).getUsableSpace() > leave + zeros.capacity()) {
                zeros.clear();
                out.write(zeros);
            }
        }
        return Files.getFileStore(filler).getUsableSpace();
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
