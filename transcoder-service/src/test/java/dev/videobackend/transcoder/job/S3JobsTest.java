package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.SampleClip;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jobs whose sources and outputs are objects in a bucket: fetched to scratch, transcoded from the local file,
 * published with the master playlist and the completion record last, and the scratch directory left empty.
 */
@QuarkusTest
@TestProfile(S3StorageProfile.class)
class S3JobsTest extends JobTrafficTest {

    private static final String PREFIX = "media/";

    @Inject
    S3Client s3;

    @Inject
    JobStorage storage;

    @ConfigProperty(name = "transcoder.storage.s3.bucket")
    String bucket;

    @ConfigProperty(name = "transcoder.storage.scratch.directory")
    Path scratch;

    @Test
    void transcodesASourceFromTheBucketAndUploadsTheLadder(@TempDir Path local) throws IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        String sourceKey = putSource(videoId, SampleClip.write(SampleClip.Spec.standard(2.0), local.resolve("clip.mp4")));

        traffic.send(videoId, jobId, sourceKey);

        JsonNode completed = traffic.awaitEvent(jobId, "TranscodeCompleted");
        String jobPath = "renditions/" + videoId + "/" + jobId + "/";
        assertThat(completed.get("masterPlaylistPath").asText()).isEqualTo(jobPath + "master.m3u8");
        assertThat(s3.headObject(b -> b.bucket(bucket).key(PREFIX + jobPath + "master.m3u8")).contentType())
                .isEqualTo("application/vnd.apple.mpegurl");
        assertThat(s3.headObject(b -> b.bucket(bucket).key(PREFIX + completed.get("storyboard").get("path").asText()))
                .contentType()).isEqualTo("text/vtt");
        assertThat(s3.headObject(b -> b.bucket(bucket).key(PREFIX + completed.get("storyboard").get("sprites").get(0)
                .get("path").asText())).contentType()).isEqualTo("image/jpeg");
        Path downloaded = download(PREFIX + jobPath, local.resolve("ladder"));
        assertThat(FfmpegTools.probe(downloaded.resolve("master.m3u8")).videoStreams()).hasSize(3);
        for (JsonNode rendition : completed.get("renditions")) {
            assertThat(downloaded.resolve(rendition.get("path").asText().substring(jobPath.length()))).isRegularFile();
        }
        assertThat(FfmpegTools.probe(downloaded.resolve(completed.get("progressive").get("path").asText()
                .substring(jobPath.length()))).streams()).hasSize(2);
        assertThat(downloaded.resolve(JobStorage.COMPLETION_RECORD)).isRegularFile();
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key(PREFIX + ".jobs/" + jobId + ".attempts")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThat(filesUnder(scratch)).isEmpty();
    }

    @Test
    void aRedeliveredRequestResendsItsCompletionWithoutUploadingAgain(@TempDir Path local) throws IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        String sourceKey = putSource(videoId, SampleClip.write(SampleClip.Spec.standard(1.0), local.resolve("clip.mp4")));
        traffic.send(videoId, jobId, sourceKey);
        JsonNode first = traffic.awaitEvent(jobId, "TranscodeCompleted");
        String master = PREFIX + first.get("masterPlaylistPath").asText();
        Instant written = s3.headObject(b -> b.bucket(bucket).key(master)).lastModified();

        traffic.send(videoId, jobId, sourceKey);

        traffic.await(() -> traffic.eventsOf(jobId, "TranscodeCompleted").size() == 2);
        List<JsonNode> completions = traffic.eventsOf(jobId, "TranscodeCompleted");
        assertThat(completions.get(1)).isEqualTo(completions.get(0));
        assertThat(s3.headObject(b -> b.bucket(bucket).key(master)).lastModified()).isEqualTo(written);
    }

    @Test
    void aPublishTheBucketBreaksOffLeavesNoObjectAndIsRetryable(@TempDir Path local) {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        String sourceKey = putSource(videoId, SampleClip.write(SampleClip.Spec.standard(1.0), local.resolve("clip.mp4")));
        S3JobStorage bucket = (S3JobStorage) storage;
        bucket.beforeUpload(key -> {
            if (key.contains("/240p/")) {
                throw SdkClientException.create("Unable to execute HTTP request: Connection reset");
            }
        });
        try {
            traffic.send(videoId, jobId, sourceKey);

            JsonNode failed = traffic.awaitEvent(jobId, "TranscodeFailed");
            assertThat(failed.get("code").asText()).isEqualTo("INTERNAL");
            assertThat(failed.get("retryable").asBoolean()).isTrue();
        } finally {
            bucket.beforeUpload(null);
        }
        assertThat(keysUnder(PREFIX + "renditions/" + videoId + "/")).isEmpty();
    }

    @Test
    void reportsWhatIsWrongWithABadSourceAndUploadsNothing() {
        UUID corruptVideo = UUID.randomUUID();
        byte[] noise = new byte[100_000];
        new Random(3).nextBytes(noise);
        String corruptKey = "sources/" + corruptVideo + "/" + UUID.randomUUID();
        s3.putObject(b -> b.bucket(bucket).key(PREFIX + corruptKey), RequestBody.fromBytes(noise));
        UUID corruptJob = UUID.randomUUID();
        traffic.send(corruptVideo, corruptJob, corruptKey);
        UUID missingJob = UUID.randomUUID();
        traffic.send(UUID.randomUUID(), missingJob, "sources/nothing/here");
        UUID escapingJob = UUID.randomUUID();
        traffic.send(UUID.randomUUID(), escapingJob, "sources/../.jobs/x.attempts");

        JsonNode failed = traffic.awaitEvent(corruptJob, "TranscodeFailed");
        assertThat(failed.get("code").asText()).isEqualTo("CORRUPT_INPUT");
        assertThat(failed.get("attempt").asInt()).isEqualTo(1);
        assertThat(keysUnder(PREFIX + "renditions/" + corruptVideo + "/")).isEmpty();
        JsonNode missing = traffic.awaitEvent(missingJob, "TranscodeFailed");
        assertThat(missing.get("code").asText()).isEqualTo("SOURCE_NOT_FOUND");
        assertThat(missing.get("message").asText()).isEqualTo("The source file is missing: here");
        assertThat(traffic.awaitEvent(escapingJob, "TranscodeFailed").get("code").asText()).isEqualTo("INPUT_NOT_ALLOWED");
    }

    private String putSource(UUID videoId, Path file) {
        String key = "sources/" + videoId + "/" + UUID.randomUUID();
        s3.putObject(b -> b.bucket(bucket).key(PREFIX + key), RequestBody.fromFile(file));
        return key;
    }

    private List<String> keysUnder(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private Path download(String prefix, Path target) throws IOException {
        for (String key : keysUnder(prefix)) {
            Path file = target.resolve(key.substring(prefix.length()));
            Files.createDirectories(file.getParent());
            s3.getObject(b -> b.bucket(bucket).key(key), file);
        }
        return target;
    }

    private static List<Path> filesUnder(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
