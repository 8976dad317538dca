package dev.videobackend.transcoder.job;

import dev.videobackend.infra.kafka.KafkaTestClient;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.infra.observability.RecentSpans;
import dev.videobackend.infra.observability.Scrape;
import dev.videobackend.transcoder.TranscoderTestProfile;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees of real jobs: the meters at {@code /q/metrics} move as the jobs imply, with no id in any
 * label, and a job continues the trace its request carries, with spans for its stages, and hands it on in its events.
 */
@QuarkusTest
@TestProfile(TranscoderTestProfile.class)
class JobObservabilityTest extends JobTrafficTest {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** The metric names the Kubernetes alerts and dashboard use, checked in for deploy/kubernetes's tests. */
    static final Path METRIC_NAMES = Path.of("../deploy/kubernetes/src/test/resources/metrics/transcoder-service.txt");

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Inject
    RecentSpans spans;

    @Test
    void aCompletedAndAFailedJobMoveTheirMetersWithoutIdsInLabels() throws Exception {
        Scrape before = Scrape.of(metrics);
        UUID videoId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(2.0), traffic.sourcePath(videoId));
        UUID completedJob = UUID.randomUUID();
        traffic.request(videoId, completedJob, source);
        traffic.awaitEvent(completedJob, "TranscodeCompleted");
        UUID failedJob = UUID.randomUUID();
        traffic.send(UUID.randomUUID(), failedJob, "sources/" + UUID.randomUUID() + "/missing");
        traffic.awaitEvent(failedJob, "TranscodeFailed");
        traffic.kafka().send(TranscoderTestProfile.REQUESTS_TOPIC, videoId.toString(), "not a request");

        // The final event is sent before the job's meters move: wait for the last of them.
        JobTraffic.await(JobTraffic.TIMEOUT, () -> Scrape.of(metrics).value("transcoder_job_duration_seconds_count")
                - before.value("transcoder_job_duration_seconds_count") >= 2
                && Scrape.of(metrics).value("transcoder_requests_dead_lettered_total")
                - before.value("transcoder_requests_dead_lettered_total") >= 1);
        Scrape after = Scrape.of(metrics);
        assertThat(delta(before, after, "transcoder_jobs_started_total", Map.of())).isEqualTo(2);
        assertThat(delta(before, after, "transcoder_jobs_completed_total", Map.of())).isEqualTo(1);
        assertThat(delta(before, after, "transcoder_requests_dead_lettered_total", Map.of())).isEqualTo(1);
        assertThat(delta(before, after, "transcoder_jobs_failed_total", Map.of("code", "SOURCE_NOT_FOUND")))
                .isEqualTo(1);
        // The missing source is found missing inside the attempt: both jobs made one.
        assertThat(delta(before, after, "transcoder_job_attempts_total", Map.of())).isEqualTo(2);
        String topRung = after.samples().stream()
                .filter(sample -> sample.name().equals("transcoder_frames_encoded_total"))
                .filter(sample -> sample.value() > before.value(sample.name(), sample.labels()))
                .map(sample -> sample.labels().get("rung")).max(JobObservabilityTest::byHeight).orElseThrow();
        assertThat(delta(before, after, "transcoder_job_duration_seconds_count", Map.of("top_rung", topRung)))
                .isEqualTo(1);
        assertThat(delta(before, after, "transcoder_job_queue_wait_seconds_count", Map.of("top_rung", "none")))
                .isEqualTo(1);
        assertThat(delta(before, after, "transcoder_encode_speed_count", Map.of("top_rung", topRung))).isEqualTo(1);
        // A 2 s clip at the sample's frame rate, in every rung.
        assertThat(delta(before, after, "transcoder_frames_encoded_total", Map.of("rung", topRung)))
                .isBetween(2.0 * SampleClip.Spec.standard(2.0).frameRate() - 2,
                        2.0 * SampleClip.Spec.standard(2.0).frameRate() + 2);
        assertThat(after.value("transcoder_slots_max")).isEqualTo(2);
        assertThat(after.value("transcoder_process_physical_bytes")).isPositive();
        assertThat(after.has("transcoder_javacpp_total_bytes")).isTrue();
        assertThat(after.has("kafka_consumer_fetch_manager_records_consumed_total")).isTrue();
        assertThat(after.has("kafka_producer_record_send_total")).isTrue();
        assertThat(UUID_TEXT.matcher(after.text()).find()).as("an id in a label").isFalse();
        assertThat(after.names()).containsAll(Files.readAllLines(METRIC_NAMES).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList());
    }

    @Test
    void aJobContinuesTheTraceOfItsRequestHandsItOnInItsEventsAndLogsWithItsIds() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentSpanId = "00f067aa0ba902b7";
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), traffic.sourcePath(videoId));
        List<Map<String, String>> jobLogContexts = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof ExtLogRecord logged && logged.getFormattedMessage().contains(jobId.toString())) {
                    jobLogContexts.add(logged.getMdcCopy());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jobLog = Logger.getLogger(TranscodeJobs.class.getName());
        jobLog.addHandler(capture);
        try {
            traffic.send(videoId, jobId, traffic.relative(source).toString(),
                    Map.of("traceparent", "00-" + traceId + "-" + parentSpanId + "-01"));
            traffic.awaitEvent(jobId, "TranscodeCompleted");
            JobTraffic.await(JobTraffic.TIMEOUT, () -> jobLogContexts.size() >= 2);
        } finally {
            jobLog.removeHandler(capture);
        }
        // What JSON logs carry (quarkus-logging-json writes the MDC): the job's ids and its trace.
        assertThat(jobLogContexts).allSatisfy(context -> assertThat(context).containsEntry("videoId", videoId.toString())
                .containsEntry("jobId", jobId.toString()).containsEntry("traceId", traceId).containsKey("spanId"));

        List<ConsumerRecord<String, String>> records = traffic.recordsOf(jobId);
        assertThat(records).hasSizeGreaterThan(1).allSatisfy(record ->
                assertThat(KafkaTestClient.header(record, "traceparent")).startsWith("00-" + traceId + "-"));
        JobTraffic.await(JobTraffic.TIMEOUT, () -> spans.ofTrace(traceId).stream()
                .anyMatch(span -> span.getName().equals("transcode job")));
        SpanData job = spans.ofTrace(traceId).stream().filter(span -> span.getName().equals("transcode job"))
                .findFirst().orElseThrow();
        assertThat(job.getParentSpanId()).isEqualTo(parentSpanId);
        assertThat(job.getAttributes().asMap().values()).contains(jobId.toString(), videoId.toString());
        assertThat(spans.ofTrace(traceId)).filteredOn(span -> span.getParentSpanId().equals(job.getSpanId()))
                .extracting(SpanData::getName).contains("probe", "encode", "package");
    }

    private static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static int byHeight(String rung, String other) {
        return Integer.compare(Integer.parseInt(rung.replace("p", "")), Integer.parseInt(other.replace("p", "")));
    }
}
