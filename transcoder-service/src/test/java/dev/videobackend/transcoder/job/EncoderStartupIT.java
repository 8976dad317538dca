package dev.videobackend.transcoder.job;

import dev.videobackend.infra.FreePort;
import dev.videobackend.transcoder.transcode.VideoEncoder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged service with {@code transcoder.video.encoder=x264}: it refuses to start on the LGPL natives, saying
 * which build has x264, and starts on the GPL ones ({@code -Pgpl}); with {@code capped-crf} and OpenH264 it refuses
 * to start in either build. Kafka points nowhere: the checks come first.
 */
class EncoderStartupIT {

    private static final Path APPLICATION = Path.of(System.getProperty("transcoder.app",
            "target/quarkus-app/quarkus-run.jar"));

    @TempDir
    Path scratch;

    @Test
    void refusesX264OnTheLgplNativesNamingTheProfile() throws Exception {
        assumeFalse(VideoEncoder.X264.available(), "This is the -Pgpl build: its natives have libx264");
        Path log = scratch.resolve("transcoder.log");
        Process transcoder = startWithX264(log);
        try {
            assertThat(transcoder.waitFor(120, TimeUnit.SECONDS)).as("stopped, see %s", log).isTrue();
        } finally {
            transcoder.destroyForcibly();
        }
        assertThat(transcoder.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("transcoder.video.encoder=x264 needs FFmpeg's libx264 encoder,"
                + " which the loaded FFmpeg natives lack: they are the LGPL build. Build the transcoder with the Maven"
                + " profile -Pgpl");
    }

    @Test
    void refusesCappedCrfWithOpenH264() throws Exception {
        Path log = scratch.resolve("transcoder.log");
        Process transcoder = start(log, Map.of("TRANSCODER_VIDEO_RATE_CONTROL", "capped-crf"));
        try {
            assertThat(transcoder.waitFor(120, TimeUnit.SECONDS)).as("stopped, see %s", log).isTrue();
        } finally {
            transcoder.destroyForcibly();
        }
        assertThat(transcoder.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("transcoder.video.rate-control=capped-crf needs"
                + " transcoder.video.encoder=x264: OpenH264 has no constant rate factor");
    }

    @Test
    void startsWithX264OnTheGplNatives() throws Exception {
        assumeTrue(VideoEncoder.X264.available(), "The LGPL natives have no libx264: build with -Pgpl");
        Path log = scratch.resolve("transcoder.log");
        Process transcoder = startWithX264(log);
        try {
            Awaitility.await("x264 chosen, see " + log).atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        assertThat(transcoder.isAlive()).as("transcoder alive, see %s", log).isTrue();
                        return Files.readString(log).matches("(?s).*FFmpeg \\S+ loaded, H\\.264 by libx264.*");
                    });
        } finally {
            transcoder.destroy();
            assertThat(transcoder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private Process startWithX264(Path log) throws IOException {
        return start(log, Map.of("TRANSCODER_VIDEO_ENCODER", "x264"));
    }

    private Process start(Path log, Map<String, String> video) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", APPLICATION.toAbsolutePath().toString()))
                .directory(scratch.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(video);
        builder.environment().putAll(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:" + FreePort.find(),
                "TRANSCODER_MEDIA_ROOT", scratch.resolve("media").toString(),
                "QUARKUS_HTTP_PORT", Integer.toString(FreePort.find())));
        return builder.start();
    }
}
