package dev.videobackend.catalog.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole upload broken off by a SIGKILL of the catalog leaves its partial file and no row (found by the fault
 * suite's CatalogCrashFaultIT): the sweep removes it once nothing can still be writing it, and nothing else.
 */
class AbandonedPartialSourcesTest {

    @TempDir
    Path root;

    @Test
    void onlyWholeUploadFilesUntouchedForTheIdleTimeGo() throws IOException {
        MediaStorage storage = new FilesystemMediaStorage(root);
        UUID video = UUID.randomUUID();
        Path abandoned = write(root.resolve(storage.newPartialSource(video)), Duration.ofMinutes(5));
        Path live = write(root.resolve(storage.newPartialSource(video)), Duration.ZERO);
        Path resumable = write(root.resolve(storage.partialSourcePath(video, UUID.randomUUID())), Duration.ofMinutes(5));
        Path source = write(root.resolve("sources").resolve(video.toString()).resolve("3f6a1c52.mp4"), Duration.ofMinutes(5));

        assertThat(storage.removeAbandonedPartialSources(Duration.ofMinutes(1))).isEqualTo(1);

        assertThat(abandoned).doesNotExist();
        assertThat(live).exists();
        assertThat(resumable).as("a resumable upload's file belongs to its row").exists();
        assertThat(source).exists();
    }

    @Test
    void noSourcesYetIsNothingToDo() {
        assertThat(new FilesystemMediaStorage(root).removeAbandonedPartialSources(Duration.ofMinutes(1))).isZero();
    }

    private static Path write(Path file, Duration age) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }
}
