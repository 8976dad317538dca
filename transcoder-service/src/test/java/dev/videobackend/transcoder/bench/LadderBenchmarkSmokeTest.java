package dev.videobackend.transcoder.bench;

import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.transcoder.transcode.VideoEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The benchmark runner with tiny parameters, so that it cannot rot; no timing is asserted. It compares with the
 * {@code ffmpeg} executable, which needs libpulse0: on a machine without it (a JDK is all the tests need) this test
 * is skipped, saying why.
 */
class LadderBenchmarkSmokeTest {

    @Test
    void measuresEveryWayAndWritesTheReport(@TempDir Path directory) throws IOException {
        Optional<String> noExecutable = FfmpegTools.executableProblem();
        assumeTrue(noExecutable.isEmpty(), noExecutable::orElseThrow);
        BenchParameters tiny = new BenchParameters(2, 640, 360, 30, List.of(360, 240), 0, 1, List.of(Way.values()),
                directory, VideoEncoder.OPENH264);

        Path report = new LadderBenchmarkRunner(tiny).run();

        String markdown = Files.readString(report);
        assertThat(report).isEqualTo(directory.resolve("ladder.md"));
        assertThat(markdown).contains("| ours | ", "| cli-split | ", "| cli-per-rung | ",
                "ours / cli-split wall time", "cli-per-rung / ours wall time", "-var_stream_map");
        for (String rung : List.of("360p", "240p")) {
            for (Way way : Way.values()) {
                assertThat(markdown).containsPattern("\\| " + rung + " \\| " + way.label()
                        + " \\| [0-9]{2}\\.[0-9]{2} \\| [0-9]{2}\\.[0-9]{2} \\| 0\\.9[0-9]{3} \\| [0-9]+ \\|");
            }
        }
        assertThat(directory.resolve("ladder-runs/cli-split/master.m3u8")).isRegularFile();
        assertThat(directory.resolve("ladder-runs/ours/master.m3u8")).isRegularFile();
    }
}
