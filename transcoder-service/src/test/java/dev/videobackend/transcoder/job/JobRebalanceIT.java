package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.kafka.KafkaBroker;
import dev.videobackend.infra.kafka.TopicSpec;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.PackagedTranscoder;
import dev.videobackend.transcoder.RequestOffsets;
import dev.videobackend.transcoder.TranscoderTestProfile;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged transcoders in one consumer group on one media directory, the second started while the first runs a
 * job of every partition: the rebalance moves some partitions to the second (cooperatively: the first keeps the
 * others and their jobs run on). Each moved job is handed back by the first without an event and run again by the
 * second; every job ends with exactly one completion (one event id), no failure, nothing left in the media
 * directory but the published ladders, and every request committed.
 */
class JobRebalanceIT {

    private static final Duration JOB = Duration.ofMinutes(10);
    private static final int PARTITIONS = 3;

    @TempDir
    static Path data;

    private static KafkaBroker kafka;

    private final List<Process> transcoders = new ArrayList<>();

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.start(data.resolve("kafka"), FreePort.find());
        kafka.createTopics(List.of(new TopicSpec(TranscoderTestProfile.REQUESTS_TOPIC, PARTITIONS),
                new TopicSpec(TranscoderTestProfile.REQUESTS_DEAD_LETTER_TOPIC, 1),
                new TopicSpec(TranscoderTestProfile.EVENTS_TOPIC, PARTITIONS),
                new TopicSpec(TranscoderTestProfile.CONTROL_TOPIC, PARTITIONS)));
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @AfterEach
    void stopTranscoders() throws InterruptedException {
        for (Process transcoder : transcoders) {
            transcoder.destroy();
            assertThat(transcoder.waitFor(60, TimeUnit.SECONDS)).as("transcoder stopped").isTrue();
        }
    }

    @Test
    void aRebalanceMidJobHandsTheMovedJobsToTheirNewOwnerAndEveryJobCompletesOnce() throws Exception {
        Path mediaRoot = Files.createTempDirectory(data, "media");
        Path firstLog = mediaRoot.resolve("first.log");
        Path secondLog = mediaRoot.resolve("second.log");
        // Jobs long enough to be running still when the second instance has started and joined, on an idle machine
        // too (a 40 s 360p clip was done before that, and nothing was handed back).
        Path source = SampleClip.write(new SampleClip.Spec(1280, 720, 30, 60.0, true),
                mediaRoot.resolve("sources").resolve(UUID.randomUUID().toString()).resolve("original"));
        RequestOffsets offsets = new RequestOffsets(kafka.bootstrapServers());
        try (JobTraffic traffic = new JobTraffic(kafka.bootstrapServers(), mediaRoot)) {
            start(mediaRoot, firstLog, "-Dsmallrye.messaging.worker.transcode-jobs.max-concurrency=" + PARTITIONS);
            // A job on every partition: whichever the second instance takes, it takes a running job.
            Map<UUID, UUID> videoOfJob = new LinkedHashMap<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                UUID videoId = videoOnPartition(partition);
                UUID jobId = UUID.randomUUID();
                videoOfJob.put(jobId, videoId);
                traffic.request(videoId, jobId, source);
            }
            JobTraffic.await(JOB, () -> videoOfJob.keySet().stream().allMatch(job -> traffic
                    .eventsOf(job, "TranscodeProgress").stream()
                    .anyMatch(progress -> "ENCODING".equals(progress.get("stage").asText()))));

            start(mediaRoot, secondLog);

            JobTraffic.await(JOB, () -> videoOfJob.keySet().stream()
                    .noneMatch(job -> traffic.finalEventsOf(job).isEmpty()));
            JobTraffic.await(JOB, offsets::everyRequestIsCommitted);
            stopTranscoders();
            transcoders.clear();

            for (UUID job : videoOfJob.keySet()) {
                List<JsonNode> finals = traffic.finalEventsOf(job);
                assertThat(finals).extracting(event -> event.get("type").asText()).containsOnly("TranscodeCompleted");
                assertThat(finals).extracting(event -> event.get("eventId").asText()).as("one completion of %s", job)
                        .containsOnly(finals.get(0).get("eventId").asText());
                assertThat(mediaRoot.resolve("renditions").resolve(videoOfJob.get(job).toString())
                        .resolve(job.toString()).resolve(TranscodeJobs.COMPLETION_RECORD)).isRegularFile();
            }
        }
        String first = Files.readString(firstLog);
        String second = Files.readString(secondLog);
        List<UUID> handedBack = handedBackIn(first);
        assertThat(handedBack).as("jobs the first instance handed back, see %s", firstLog).isNotEmpty();
        assertThat(handedBack).allSatisfy(job -> {
            assertThat(first).doesNotContain("Job " + job + " ended");
            assertThat(second).contains("Job " + job + " ended COMPLETED");
        });
        assertThat(leftovers(mediaRoot)).as("staging directories, lock files and attempt counts").isEmpty();
    }

    private void start(Path mediaRoot, Path log, String... systemProperties) {
        transcoders.add(PackagedTranscoder.start(kafka.bootstrapServers(), mediaRoot, 3, log, systemProperties));
    }

    /** A video id whose records the default partitioner puts on {@code partition}, as the catalog keys them. */
    private static UUID videoOnPartition(int partition) {
        while (true) {
            UUID videoId = UUID.randomUUID();
            byte[] key = videoId.toString().getBytes(StandardCharsets.UTF_8);
            if (Utils.toPositive(Utils.murmur2(key)) % PARTITIONS == partition) {
                return videoId;
            }
        }
    }

    private static List<UUID> handedBackIn(String log) {
        return log.lines().filter(line -> line.contains("is handed back"))
                .map(line -> UUID.fromString(line.replaceFirst(".*Job ([0-9a-f-]{36}) .*", "$1"))).toList();
    }

    /** Anything in the media directory besides sources, logs and the published ladders. */
    private static List<Path> leftovers(Path mediaRoot) throws IOException {
        try (Stream<Path> files = Files.walk(mediaRoot)) {
            return files.filter(path -> {
                String name = path.getFileName().toString();
                return name.endsWith(".partial") || name.endsWith(".lock") || name.endsWith(".attempts");
            }).toList();
        }
    }
}
