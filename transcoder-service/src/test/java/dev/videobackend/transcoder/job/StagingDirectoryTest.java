package dev.videobackend.transcoder.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Staging directories per attempt and per replica: an attempt whose process is gone is removed, one whose process
 * lives (here another JVM holding its lock, as another replica does) is not, and a second run never publishes over
 * the first.
 */
class StagingDirectoryTest {

    /** Locks the file named by its argument, says so, and holds the lock until its standard input closes. */
    private static final String LOCK_HOLDER = """
            import java.nio.channels.FileChannel;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;

            class LockHolder {
                public static void main(String[] args) throws Exception {
                    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                        channel.lock();
                        System.out.println("locked");
                        System.out.flush();
                        System.in.read();
                    }
                }
            }
            """;

    private final UUID jobId = UUID.randomUUID();

    @Test
    void removesTheAttemptsWhoseProcessIsGoneAndOnlyThose(@TempDir Path video) throws Exception {
        Path liveElsewhere = attempt(video, "other-replica-1");
        Path killed = attempt(video, "killed-replica-2");
        Path killedBeforeItsDirectory = video.resolve("." + jobId + ".killed-replica-3.lock");
        Files.createFile(killedBeforeItsDirectory);
        Path withoutLock = Files.createDirectories(video.resolve("." + jobId + ".partial"));
        Path otherJob = Files.createDirectories(video.resolve("." + UUID.randomUUID() + ".killed-replica-1.partial"));

        try (StagingDirectory own = StagingDirectory.create(video, jobId, "this-replica", 4)) {
            Process holder = holdLock(video.resolve("." + jobId + ".other-replica-1.lock"));
            try {
                assertThat(StagingDirectory.removeAbandoned(video, jobId, "this-replica")).isEqualTo(3);

                assertThat(liveElsewhere).isDirectory();
                assertThat(own.path()).isDirectory();
                assertThat(otherJob).isDirectory();
                assertThat(killed).doesNotExist();
                assertThat(killed.resolveSibling("." + jobId + ".killed-replica-2.lock")).doesNotExist();
                assertThat(killedBeforeItsDirectory).doesNotExist();
                assertThat(withoutLock).doesNotExist();
            } finally {
                holder.getOutputStream().close();
                assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }

            assertThat(StagingDirectory.removeAbandoned(video, jobId, "this-replica")).isEqualTo(1);
            assertThat(liveElsewhere).doesNotExist();
            assertThat(own.path()).isDirectory();
        }
        assertThat(namesIn(video)).containsExactly(otherJob.getFileName().toString());
    }

    @Test
    void aSecondRunNeverPublishesOverTheFirstAndNeitherLeavesAnythingBehind(@TempDir Path video) throws IOException {
        Path published = video.resolve(jobId.toString());
        try (StagingDirectory first = StagingDirectory.create(video, jobId, "replica-a", 1);
                StagingDirectory second = StagingDirectory.create(video, jobId, "replica-b", 1)) {
            Files.writeString(first.path().resolve("master.m3u8"), "first");
            Files.writeString(second.path().resolve("master.m3u8"), "second");

            assertThat(first.publishAs(published)).isTrue();

            assertThat(second.publishAs(published)).isFalse();
            assertThat(published.resolve("master.m3u8")).hasContent("first");
        }
        assertThat(namesIn(video)).containsExactly(jobId.toString());
    }

    /** The staging directory and lock file an attempt leaves when its process is killed. */
    private Path attempt(Path video, String replicaAndAttempt) throws IOException {
        Path staging = Files.createDirectories(video.resolve("." + jobId + "." + replicaAndAttempt + ".partial"));
        Files.writeString(staging.resolve("segment-00001.m4s"), "half written");
        Files.createFile(video.resolve("." + jobId + "." + replicaAndAttempt + ".lock"));
        return staging;
    }

    /** Another JVM holding the lock, as a live replica's attempt does. */
    private static Process holdLock(Path lockFile) throws IOException {
        Path source = Files.writeString(Files.createTempFile("LockHolder", ".java"), LOCK_HOLDER);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, source.toString(), lockFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("locked");
        } finally {
            Files.delete(source);
        }
        return holder;
    }

    private static List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).toList();
        }
    }
}
