package dev.videobackend.stack.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher of the catalog benchmark under Maven ({@code -Pbench-catalog}, see {@link LoadReport#COMMAND}); the
 * normal build never runs it. It fails only when a run could not be made; missed targets are reported as FAIL in
 * the report it prints and writes, which is the benchmark's outcome.
 */
class CatalogLoadBenchmark {

    @TempDir
    Path work;

    @Test
    void theCatalogUnderLoad() {
        LoadReport report = new CatalogLoad(LoadSettings.fromSystemProperties(), System.out).run(
                Path.of(System.getProperty("catalog.app")), Path.of(System.getProperty("transcoder.app")), work);
        assertThat(report.verdicts()).isNotEmpty();
    }
}
