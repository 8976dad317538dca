package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.transcode.FailureCode;
import dev.videobackend.transcoder.transcode.TranscodeFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Java's file I/O on a full volume, as the JDK reports it here, is told apart from other failures: the errors of a
 * real full 1 MiB {@code tmpfs} (mounting needs root; skipped, saying so, elsewhere).
 */
class FullVolumeTest {

    @TempDir
    Path directory;

    @Test
    void aWriteOnAFullVolumeIsStorageFullWhereverItIsWrapped() throws Exception {
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", directory.toString()),
                "needs root and mount -t tmpfs for a small file system");
        try {
            IOException full = catchThrowableOfType(
                    () -> Files.write(directory.resolve("too big"), new byte[2 * 1024 * 1024]), IOException.class);

            assertThat(FullVolume.code(full)).isEqualTo(FailureCode.STORAGE_FULL);
            assertThat(FullVolume.code(new UncheckedIOException("Could not write the playlist", full)))
                    .isEqualTo(FailureCode.STORAGE_FULL);
            assertThat(FullVolume.code(new TranscodeFailure(FailureCode.INTERNAL, "An encoder failed", full)))
                    .isEqualTo(FailureCode.STORAGE_FULL);
        } finally {
            run("umount", directory.toString());
        }
    }

    @Test
    void otherFailuresKeepTheirCode() {
        assertThat(FullVolume.code(new IOException("Permission denied"))).isEqualTo(FailureCode.INTERNAL);
        assertThat(FullVolume.code(new TranscodeFailure(FailureCode.INTERNAL, "No encoder")))
                .isEqualTo(FailureCode.INTERNAL);
        assertThat(FullVolume.code(new TranscodeFailure(FailureCode.CANCELLED, "Cancelled",
                new IOException("No space left on device")))).isEqualTo(FailureCode.CANCELLED);
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
