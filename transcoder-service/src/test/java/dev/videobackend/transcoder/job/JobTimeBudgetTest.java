package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.TranscoderTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job that outlives its time budget, which follows from the work it is asked, is stopped, reported
 * {@code TIMED_OUT} with how the budget came about, and leaves nothing behind.
 */
@QuarkusTest
@TestProfile(JobTimeBudgetTest.UnreachablePace.class)
class JobTimeBudgetTest extends JobTrafficTest {

    /**
     * A pace no real transcode keeps (three times the benchmark's, docs/benchmarks.md): the budget the work gives is
     * too short, and still longer than the floor, which only has to outlast the probing.
     */
    public static class UnreachablePace extends TranscoderTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("transcoder.jobs.time-budget-floor", "2s",
                    "transcoder.jobs.time-budget-megapixels-per-second", "150");
        }
    }

    @Test
    void aJobOverItsTimeBudgetIsStoppedAndReported() throws IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = SampleClip.write(new SampleClip.Spec(1280, 720, 30, 10.0, true), traffic.sourcePath(videoId));

        traffic.request(videoId, jobId, source);

        JsonNode failed = traffic.awaitEvent(jobId, "TranscodeFailed");
        assertThat(failed.get("code").asText()).isEqualTo("TIMED_OUT");
        assertThat(failed.get("retryable").asBoolean()).isFalse();
        // 10 s at 30 fps on the rungs of 720p and below: 300 frames of 1,701,024 pixels, 3.4 s at 150 Mpx/s.
        assertThat(failed.get("message").asText()).isEqualTo("The job ran longer than its time budget of 3 s (510 "
                + "megapixels to encode: 5 rungs of 300 frames, at 150 megapixels per second) and was stopped");
        assertThat(failed.get("attempt").asInt()).isEqualTo(1);
        assertThat(traffic.eventsOf(jobId, "TranscodeCompleted")).isEmpty();
        Path videoDirectory = mediaRoot.resolve("renditions").resolve(videoId.toString());
        assertThat(videoDirectory).satisfiesAnyOf(dir -> assertThat(dir).doesNotExist(),
                dir -> assertThat(dir).isEmptyDirectory());
        assertThat(Files.exists(mediaRoot.resolve(".jobs").resolve(jobId + ".attempts"))).isFalse();
    }
}
