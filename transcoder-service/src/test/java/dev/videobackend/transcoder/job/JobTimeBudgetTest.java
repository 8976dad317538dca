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

/** A job that outlives its time budget is stopped, reported {@code TIMED_OUT}, and leaves nothing behind. */
@QuarkusTest
@TestProfile(JobTimeBudgetTest.OneSecondBudget.class)
class JobTimeBudgetTest extends JobTrafficTest {

    /** One second for any job, however long its source: every real transcode runs out of time. */
    public static class OneSecondBudget extends TranscoderTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("transcoder.jobs.time-budget-base", "1s",
                    "transcoder.jobs.time-budget-per-source-second", "0");
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
        assertThat(failed.get("message").asText()).isEqualTo("The job ran longer than its time budget of 1 s and was stopped");
        assertThat(failed.get("attempt").asInt()).isEqualTo(1);
        assertThat(traffic.eventsOf(jobId, "TranscodeCompleted")).isEmpty();
        Path videoDirectory = mediaRoot.resolve("renditions").resolve(videoId.toString());
        assertThat(videoDirectory).satisfiesAnyOf(dir -> assertThat(dir).doesNotExist(),
                dir -> assertThat(dir).isEmptyDirectory());
        assertThat(Files.exists(mediaRoot.resolve(".jobs").resolve(jobId + ".attempts"))).isFalse();
    }
}
