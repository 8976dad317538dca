package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.TranscoderTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A job whose output volume is full fails {@code STORAGE_FULL} (retryable), not {@code INTERNAL}, and leaves nothing
 * half published; once there is room, the retried job (a new job of the same video, as the catalog's
 * {@code retranscode} sends it) completes. The video's output directory is a real 4 MiB {@code tmpfs} filled with
 * zeros, so FFmpeg and Java's file I/O meet a real ENOSPC; mounting needs root, and the test is skipped, saying so,
 * where it cannot mount.
 */
@QuarkusTest
@TestProfile(TranscoderTestProfile.class)
class JobStorageFullTest extends JobTrafficTest {

    @Test
    void aJobOnAFullVolumeFailsStorageFullAndItsRetryCompletesOnceThereIsRoom() throws Exception {
        UUID videoId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(2.0), traffic.sourcePath(videoId));
        Path output = Files.createDirectories(mediaRoot.resolve("renditions").resolve(videoId.toString()))
                .toAbsolutePath();
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", output.toString()),
                "needs root and mount -t tmpfs for a small file system");
        try {
            Path filler = output.resolve("filler");
            fill(filler);
            UUID starved = UUID.randomUUID();
            traffic.request(videoId, starved, source);

            JsonNode failed = traffic.awaitEvent(starved, "TranscodeFailed");
            assertThat(failed.get("code").asText()).isEqualTo("STORAGE_FULL");
            assertThat(failed.get("retryable").asBoolean()).isTrue();
            assertThat(failed.get("attempt").asInt()).isEqualTo(1);
            assertThat(failed.get("message").asText())
                    .isEqualTo("The transcoder's output volume is full; retrying once there is room may help");
            assertThat(traffic.eventsOf(starved, "TranscodeCompleted")).isEmpty();
            assertThat(entries(output)).as("no staging directory, lock or partial ladder").containsExactly("filler");
            assertThat(mediaRoot.resolve(".jobs").resolve(starved + ".attempts")).doesNotExist();
            // The failed ladder's muxers closed their files: none of the deleted staging files holds the volume.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(openFilesUnder(output)).isEmpty());

            Files.delete(filler);
            UUID retried = UUID.randomUUID();
            traffic.request(videoId, retried, source);

            JsonNode completed = traffic.awaitEvent(retried, "TranscodeCompleted");
            assertThat(completed.get("masterPlaylistPath").asText())
                    .isEqualTo("renditions/" + videoId + "/" + retried + "/master.m3u8");
            assertThat(entries(output)).containsExactly(retried.toString());
        } finally {
            // Detached lazily if a failed assertion left it busy, so that no mount outlives the test.
            if (!run("umount", output.toString())) {
                run("umount", "-l", output.toString());
            }
        }
    }

    /** Writes zeros into {@code filler} until the file system takes no more. */
    private static void fill(Path filler) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                zeros.clear();
                out.write(zeros);
            }
        } catch (IOException full) {
            assertThat(full).hasMessageContaining("No space left on device");
        }
    }

    /** What this process (the transcoder under test) has open below {@code directory}, deleted files included. */
    private static List<String> openFilesUnder(Path directory) throws IOException {
        List<String> open = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith(directory + "/")) {
                        open.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // The descriptor was closed between listing and reading: not open any more.
                }
            }
        }
        return open;
    }

    private static List<String> entries(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).toList();
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
