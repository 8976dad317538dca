package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.kafka.KafkaTestClient;
import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.MediaInfo;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.TranscoderTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The transcoder as the catalog sees it: a request on Kafka in, progress and an outcome on Kafka out. */
@QuarkusTest
@TestProfile(TranscoderTestProfile.class)
class TranscodeJobsTest extends JobTrafficTest {

    @Test
    void transcodesTheSourceReportsProgressAndPublishesTheLadder() throws IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(3.0), sourcePath(videoId));
        MediaInfo sourceInfo = FfmpegTools.probe(source);

        request(videoId, jobId, source);

        JsonNode completed = awaitEvent(jobId, "TranscodeCompleted");
        List<JsonNode> progress = eventsOf(jobId, "TranscodeProgress");
        assertThat(progress).isNotEmpty();
        assertThat(progress).extracting(p -> p.get("stage").asText()).contains("PROBING", "ENCODING", "PACKAGING");
        assertThat(progress).extracting(p -> p.get("percent").asDouble()).isSorted();
        assertThat(progress).extracting(p -> p.get("attempt").asInt()).containsOnly(1);
        assertThat(completed.get("source").get("width").asInt()).isEqualTo(640);
        assertThat(completed.get("source").get("audioCodec").asText()).isEqualTo("aac");
        JsonNode renditions = completed.get("renditions");
        assertThat(renditions).extracting(r -> r.get("height").asInt()).containsExactly(360, 240, 144);
        String jobPath = "renditions/" + videoId + "/" + jobId + "/";
        assertThat(completed.get("masterPlaylistPath").asText()).isEqualTo(jobPath + "master.m3u8");
        assertThat(FfmpegTools.probe(mediaRoot.resolve(jobPath + "master.m3u8")).videoStreams()).hasSize(3);
        for (JsonNode rendition : renditions) {
            String path = rendition.get("path").asText();
            assertThat(path).isEqualTo(jobPath + rendition.get("height").asInt() + "p/playlist.m3u8");
            MediaInfo info = FfmpegTools.probe(mediaRoot.resolve(path));
            assertThat(info.video().orElseThrow().codecName()).isEqualTo("h264");
            assertThat(info.video().orElseThrow().width()).isEqualTo(rendition.get("width").asInt());
            assertThat(info.video().orElseThrow().height()).isEqualTo(rendition.get("height").asInt());
            assertThat(info.audioStreams()).isEmpty();
            assertThat(info.format().duration()).isCloseTo(sourceInfo.format().duration(), within(0.1));
            assertThat(rendition.get("sizeBytes").asLong()).isEqualTo(mediaBytes(mediaRoot.resolve(path).getParent()));
            assertThat(rendition.get("bitrate").asLong()).isGreaterThanOrEqualTo(rendition.get("averageBitrate").asLong() / 2);
        }
        JsonNode audio = completed.get("audio");
        assertThat(FfmpegTools.probe(mediaRoot.resolve(audio.get("path").asText())).audio().orElseThrow().codecName())
                .isEqualTo("aac");
        assertThat(FfmpegTools.probe(mediaRoot.resolve(completed.get("poster").get("path").asText())).video()
                .orElseThrow().codecName()).isEqualTo("mjpeg");
        JsonNode storyboard = completed.get("storyboard");
        assertThat(storyboard.get("path").asText()).isEqualTo(jobPath + "storyboard.vtt");
        assertThat(mediaRoot.resolve(storyboard.get("path").asText())).content().startsWith("WEBVTT");
        assertThat(storyboard.get("sprites")).singleElement().satisfies(sprite -> assertThat(FfmpegTools
                .probe(mediaRoot.resolve(sprite.get("path").asText())).video().orElseThrow().width())
                .isEqualTo(sprite.get("width").asInt()));
        assertThat(FfmpegTools.probe(mediaRoot.resolve(completed.get("progressive").get("path").asText())).streams())
                .hasSize(2);
        assertThat(listJobDirectory(videoId)).containsExactly(jobId.toString());
    }

    @Test
    void aRedeliveredRequestResendsItsCompletionWithoutEncodingAgain() throws IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), sourcePath(videoId));
        request(videoId, jobId, source);
        JsonNode first = awaitEvent(jobId, "TranscodeCompleted");
        Path rendition = mediaRoot.resolve(first.get("renditions").get(0).get("path").asText());
        FileTime written = Files.getLastModifiedTime(rendition);

        request(videoId, jobId, source);

        traffic.await(() -> eventsOf(jobId, "TranscodeCompleted").size() == 2);
        List<JsonNode> completions = eventsOf(jobId, "TranscodeCompleted");
        assertThat(completions.get(1)).isEqualTo(completions.get(0));
        assertThat(Files.getLastModifiedTime(rendition)).isEqualTo(written);
    }

    @Test
    void reportsWhatIsWrongWithABadSource() throws IOException {
        UUID corruptVideo = UUID.randomUUID();
        byte[] noise = new byte[100_000];
        new Random(3).nextBytes(noise);
        Path corrupt = sourcePath(corruptVideo);
        Files.createDirectories(corrupt.getParent());
        Files.write(corrupt, noise);
        UUID corruptJob = UUID.randomUUID();
        request(corruptVideo, corruptJob, corrupt);

        UUID missingJob = UUID.randomUUID();
        request(UUID.randomUUID(), missingJob, mediaRoot.resolve("sources/nothing/here"));

        UUID escapingJob = UUID.randomUUID();
        traffic.send(UUID.randomUUID(), escapingJob, "sources/../../../etc/passwd");

        JsonNode failed = awaitEvent(corruptJob, "TranscodeFailed");
        assertThat(failed.get("code").asText()).isEqualTo("CORRUPT_INPUT");
        assertThat(failed.get("retryable").asBoolean()).isFalse();
        assertThat(failed.get("attempt").asInt()).isEqualTo(1);
        assertThat(failed.get("message").asText())
                .isEqualTo("Could not open the source as media: Invalid data found when processing input");
        assertThat(mediaRoot.resolve("renditions").resolve(corruptVideo.toString())).satisfiesAnyOf(
                dir -> assertThat(dir).doesNotExist(), dir -> assertThat(dir).isEmptyDirectory());
        assertThat(awaitEvent(missingJob, "TranscodeFailed").get("code").asText()).isEqualTo("SOURCE_NOT_FOUND");
        assertThat(awaitEvent(escapingJob, "TranscodeFailed").get("code").asText()).isEqualTo("INPUT_NOT_ALLOWED");
    }

    @Test
    void aMalformedRequestGoesToTheDeadLetterTopic() {
        try (KafkaTestClient.Reader deadLetters = traffic.kafka().reader(TranscoderTestProfile.REQUESTS_DEAD_LETTER_TOPIC)) {
            String key = UUID.randomUUID().toString();
            traffic.kafka().send(TranscoderTestProfile.REQUESTS_TOPIC, key, "{\"type\":\"TranscodeRequested\"}");

            ConsumerRecord<String, String> dead = deadLetters.await(record -> key.equals(record.key()), JobTraffic.TIMEOUT);
            assertThat(KafkaTestClient.header(dead, "dead-letter-reason"))
                    .isEqualTo("Not a TranscodeRequested: Missing creator property 'eventId' (index 0)");
        }
    }

    private Path sourcePath(UUID videoId) {
        return traffic.sourcePath(videoId);
    }

    private void request(UUID videoId, UUID jobId, Path source) {
        traffic.request(videoId, jobId, source);
    }

    private JsonNode awaitEvent(UUID jobId, String type) {
        return traffic.awaitEvent(jobId, type);
    }

    private List<JsonNode> eventsOf(UUID jobId, String type) {
        return traffic.eventsOf(jobId, type);
    }

    /** Bytes of a rendition's init and media segments. */
    private static long mediaBytes(Path renditionDirectory) throws IOException {
        try (Stream<Path> files = Files.list(renditionDirectory)) {
            return files.filter(file -> !file.getFileName().toString().endsWith(".m3u8"))
                    .mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private List<String> listJobDirectory(UUID videoId) throws IOException {
        try (Stream<Path> entries = Files.list(mediaRoot.resolve("renditions").resolve(videoId.toString()))) {
            return entries.map(path -> path.getFileName().toString()).toList();
        }
    }
}
