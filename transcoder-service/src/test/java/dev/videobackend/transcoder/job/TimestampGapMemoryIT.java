package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.kafka.KafkaBroker;
import dev.videobackend.infra.kafka.TopicSpec;
import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.transcoder.PackagedTranscoder;
import dev.videobackend.transcoder.TranscoderTestProfile;
import dev.videobackend.transcoder.bench.ProcessMemory;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A long gap between two frames' timestamps (a screen recording's static pause; in the hostile form, 600 frames with
 * the last one hours later) becomes one repeated picture per output frame. The packaged transcoder, with the deployed
 * JVM options and its heap committed up front, transcodes a 1080p60 source whose last frame comes after a pause of
 * {@value #PAUSE_SECONDS} s within the peak resident memory of an ordinary 1080p60 job plus {@value #HEADROOM_MB} MB,
 * both measured here ({@code VmHWM}, sampled while the job runs, the transcoder killed once it is over). Before the
 * rungs pulled their pictures in lockstep, the repeated pictures of every rung but the top one piled up in the filter
 * graph at some 100 MB/s: the bound was crossed within seconds of the pause.
 */
class TimestampGapMemoryIT {

    private static final Logger LOG = Logger.getLogger(TimestampGapMemoryIT.class);
    private static final Duration JOB = Duration.ofMinutes(8);
    private static final int PAUSE_SECONDS = 60;
    private static final long HEADROOM_MB = 100;
    private static final long MB = 1024 * 1024;
    /** Three rungs keep the job short on a shared machine; the piling up was on every rung below the top one. */
    private static final String LADDER = "1080:5000000,480:1400000,144:200000";
    /** As deployed (deploy/kubernetes), with the heap resident from the start, so that both jobs count it whole. */
    private static final String[] JVM = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-XX:MaxDirectMemorySize=64m",
            "-Dtranscoder.ladder.rungs=" + LADDER};

    @TempDir
    static Path data;

    private static KafkaBroker kafka;

    private Process transcoder;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.start(data.resolve("kafka"), FreePort.find());
        kafka.createTopics(List.of(new TopicSpec(TranscoderTestProfile.REQUESTS_TOPIC, 1),
                new TopicSpec(TranscoderTestProfile.REQUESTS_DEAD_LETTER_TOPIC, 1),
                new TopicSpec(TranscoderTestProfile.EVENTS_TOPIC, 1),
                new TopicSpec(TranscoderTestProfile.CONTROL_TOPIC, 1)));
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @AfterEach
    void stopTranscoder() throws InterruptedException {
        if (transcoder != null && transcoder.isAlive()) {
            transcoder.destroyForcibly();
            assertThat(transcoder.waitFor(60, TimeUnit.SECONDS)).as("transcoder stopped").isTrue();
        }
    }

    @Test
    void aLongStaticPauseCostsNoMoreMemoryThanAnOrdinaryJob() throws Exception {
        Path mediaRoot = Files.createTempDirectory(data, "media");
        try (JobTraffic traffic = new JobTraffic(kafka.bootstrapServers(), mediaRoot)) {
            UUID ordinaryVideo = UUID.randomUUID();
            Path ordinary = FfmpegTools.generate(traffic.sourcePath(ordinaryVideo), "-f", "lavfi",
                    "-i", "testsrc2=size=1920x1080:rate=60:duration=5", "-c:v", "libopenh264", "-b:v", "8M",
                    "-f", "matroska");
            UUID pausedVideo = UUID.randomUUID();
            // 600 black frames at 60 fps, the last one shown PAUSE_SECONDS after the start (the hostile file of
            // issue 11 is this with the last frame at 21,000 s).
            Path paused = FfmpegTools.generate(traffic.sourcePath(pausedVideo), "-f", "lavfi",
                    "-i", "color=c=black:size=1920x1080:rate=60:duration=10",
                    "-vf", "setpts='if(eq(N,599),PTS+" + (PAUSE_SECONDS - 10) + "/TB,PTS)'",
                    "-c:v", "libopenh264", "-f", "matroska");

            long ordinaryPeak = peakOf(traffic, mediaRoot, ordinaryVideo, ordinary, Long.MAX_VALUE);
            long bound = ordinaryPeak + HEADROOM_MB * MB;
            long pausedPeak = peakOf(traffic, mediaRoot, pausedVideo, paused, bound);

            LOG.infof("Peak resident memory: ordinary 1080p60 job %d MB, %d s pause %d MB (bound %d MB)",
                    ordinaryPeak / MB, PAUSE_SECONDS, pausedPeak / MB, bound / MB);
            assertThat(pausedPeak).isLessThanOrEqualTo(bound);
        }
    }

    /**
     * Runs one job in a transcoder of its own and returns the transcoder's peak resident memory; fails, killing it,
     * as soon as that passes {@code bound}. The job must complete, with its whole duration transcoded.
     */
    private long peakOf(JobTraffic traffic, Path mediaRoot, UUID videoId, Path source, long bound)
            throws InterruptedException {
        Path log = mediaRoot.resolve(videoId + ".log");
        transcoder = PackagedTranscoder.start(kafka.bootstrapServers(), mediaRoot, 1, log, JVM);
        UUID jobId = UUID.randomUUID();
        AtomicLong peak = new AtomicLong();
        traffic.request(videoId, jobId, source);
        JobTraffic.await(JOB, () -> {
            long now = ProcessMemory.peakBytesOf(transcoder.toHandle());
            peak.accumulateAndGet(now, Math::max);
            if (now > bound) {
                transcoder.destroyForcibly();
                throw new AssertionError("The transcoder's resident memory reached " + now / MB
                        + " MB, over the bound of " + bound / MB + " MB; see " + log);
            }
            return !traffic.finalEventsOf(jobId).isEmpty();
        });
        peak.accumulateAndGet(ProcessMemory.peakBytesOf(transcoder.toHandle()), Math::max);
        JsonNode outcome = traffic.finalEventsOf(jobId).get(0);
        assertThat(outcome.get("type").asText()).as("outcome of %s, see %s", source, log)
                .isEqualTo("TranscodeCompleted");
        double expected = FfmpegTools.probe(source).format().duration();
        assertThat(outcome.get("source").get("durationSeconds").asDouble()).isCloseTo(expected, within(0.5));
        transcoder.destroy();
        assertThat(transcoder.waitFor(60, TimeUnit.SECONDS)).as("transcoder stopped").isTrue();
        return peak.get();
    }
}
