package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.TranscoderTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Redelivery, poison input and cancels, through Kafka as the catalog drives them. */
@QuarkusTest
@TestProfile(TranscoderTestProfile.class)
class JobSafetyTest extends JobTrafficTest {

    @ConfigProperty(name = "transcoder.jobs.max-attempts")
    int maxAttempts;

    @Inject
    RunningJobs running;

    @Test
    void aHalfDoneJobStartsOverInANewStagingDirectoryAndTheOldOneIsRemoved() throws IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), traffic.sourcePath(videoId));
        Path staging = killedAttempt(videoId, jobId);
        Files.writeString(staging.resolve("leftover.tmp"), "stale");

        traffic.request(videoId, jobId, source);

        JsonNode completed = traffic.awaitEvent(jobId, "TranscodeCompleted");
        Path published = staging.resolveSibling(jobId.toString());
        assertThat(filesOfJob(videoId, jobId)).allSatisfy(path -> assertThat(path).startsWith(published));
        assertThat(published.resolve("leftover.tmp")).doesNotExist();
        Path rendition = mediaRoot.resolve(completed.get("renditions").get(0).get("path").asText());
        assertThat(FfmpegTools.probe(rendition).video().orElseThrow().codecName()).isEqualTo("h264");
        assertThat(attemptsFile(jobId)).doesNotExist();
    }

    @Test
    void aJobAttemptedTheMaximumNumberOfTimesIsPoisonAndIsNotDecodedAgain() throws IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), traffic.sourcePath(videoId));
        // What earlier processes left behind when the source crashed them: the count, and the last one's output.
        Files.createDirectories(attemptsFile(jobId).getParent());
        Files.writeString(attemptsFile(jobId), Integer.toString(maxAttempts));
        killedAttempt(videoId, jobId);

        traffic.request(videoId, jobId, source);

        JsonNode failed = traffic.awaitEvent(jobId, "TranscodeFailed");
        assertThat(failed.get("code").asText()).isEqualTo("POISON_INPUT");
        assertThat(failed.get("retryable").asBoolean()).isFalse();
        assertThat(failed.get("attempt").asInt()).isEqualTo(maxAttempts);
        assertThat(failed.get("message").asText()).isEqualTo("The job was attempted " + maxAttempts
                + " times and never finished: the transcoder crashed or hung on this source each time");
        assertThat(traffic.eventsOf(jobId, "TranscodeProgress")).isEmpty();
        assertThat(filesOfJob(videoId, jobId)).isEmpty();
        assertThat(attemptsFile(jobId)).doesNotExist();
    }

    @Test
    void aCancelStopsARunningJobWithinTwoSecondsAndRemovesItsPartialOutput() throws IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = SampleClip.write(new SampleClip.Spec(1280, 720, 30, 20.0, true), traffic.sourcePath(videoId));
        traffic.request(videoId, jobId, source);
        traffic.await(() -> traffic.eventsOf(jobId, "TranscodeProgress").stream()
                .anyMatch(progress -> "ENCODING".equals(progress.get("stage").asText())));

        traffic.cancel(videoId, jobId);

        JsonNode failed = traffic.awaitEvent(jobId, "TranscodeFailed", Duration.ofSeconds(2));
        assertThat(failed.get("code").asText()).isEqualTo("CANCELLED");
        assertThat(failed.get("retryable").asBoolean()).isTrue();
        assertThat(failed.get("attempt").asInt()).isEqualTo(1);
        assertThat(traffic.eventsOf(jobId, "TranscodeCompleted")).isEmpty();
        assertThat(filesOfJob(videoId, jobId)).isEmpty();
        assertThat(attemptsFile(jobId)).doesNotExist();
    }

    @Test
    void aRequestOfACancelledJobIsSkipped() throws IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), traffic.sourcePath(videoId));
        traffic.cancel(videoId, jobId);
        traffic.await(() -> running.isCancelled(jobId));

        traffic.request(videoId, jobId, source);

        JsonNode failed = traffic.awaitEvent(jobId, "TranscodeFailed");
        assertThat(failed.get("code").asText()).isEqualTo("CANCELLED");
        assertThat(failed.has("attempt")).isFalse();
        assertThat(traffic.eventsOf(jobId, "TranscodeProgress")).isEmpty();
        assertThat(filesOfJob(videoId, jobId)).isEmpty();
    }

    /**
     * What an attempt of a replica that was killed leaves: its staging directory with half a rendition, and its lock
     * file, no longer locked by anyone.
     */
    private Path killedAttempt(UUID videoId, UUID jobId) throws IOException {
        Path videoDirectory = mediaRoot.resolve("renditions").resolve(videoId.toString());
        Path staging = Files.createDirectories(videoDirectory.resolve("." + jobId + ".killed-replica-1.partial"));
        Files.writeString(staging.resolve("360p.mp4"), "half a rendition from a killed process");
        Files.createFile(videoDirectory.resolve("." + jobId + ".killed-replica-1.lock"));
        return staging;
    }

    private Path attemptsFile(UUID jobId) {
        return mediaRoot.resolve(".jobs").resolve(jobId + ".attempts");
    }

    /** Staging or published files of the job: any path under the video's renditions that names the job. */
    private List<Path> filesOfJob(UUID videoId, UUID jobId) throws IOException {
        Path videoDirectory = mediaRoot.resolve("renditions").resolve(videoId.toString());
        if (!Files.exists(videoDirectory)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(videoDirectory)) {
            return paths.filter(path -> path.toString().contains(jobId.toString())).toList();
        }
    }
}
