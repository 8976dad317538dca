package dev.videobackend.stack.tracing;

import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.stack.CatalogClient;
import dev.videobackend.stack.LocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One upload is one trace across both processes (issue 15): the packaged catalog and transcoder, as the local stack
 * runs them, export over OTLP/HTTP to a receiver in this test, and the spans of one end-to-end job must link up
 * from the upload's HTTP request to the catalog applying the transcoder's last event, through the outbox, Kafka and
 * the transcoder's job, each parent in the process that made it.
 */
class OneTraceIT {

    private static final Path CATALOG = Path.of(System.getProperty("catalog.app"));
    private static final Path TRANSCODER = Path.of(System.getProperty("transcoder.app"));
    private static final String CATALOG_SERVICE = "catalog-service";
    private static final String TRANSCODER_SERVICE = "transcoder-service";
    /** Small and short: the test is about the spans, not the encode. */
    private static final SampleClip.Spec CLIP = new SampleClip.Spec(320, 180, 25, 2.0, true);

    @TempDir
    Path data;

    @Test
    void anUploadsRequestOutboxKafkaJobAndAppliedEventsAreOneTrace() throws IOException {
        try (OtlpReceiver otlp = OtlpReceiver.keeping()) {
            LocalStack.Settings settings = new LocalStack.Settings(data, FreePort.find(), FreePort.find(), CATALOG,
                    TRANSCODER, false)
                    // every upload traced; batches flushed within 200 ms, so the test waits for little
                    .withServiceEnvironment(otlp.serviceEnvironment(1.0, Duration.ofMillis(200)));
            try (LocalStack stack = LocalStack.start(settings)) {
                CatalogClient client = new CatalogClient(stack.catalogUrl(), stack.tokens().demoUploader());
                Path clip = SampleClip.write(CLIP, data.resolve("clip.mp4"));
                String videoId = client.createVideo("Traced", "One trace across both services", "demo");
                String jobId = client.upload(videoId, clip).get("jobId").asText();

                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                        .until(() -> status(client, videoId), status -> status.equals("READY")
                                || status.equals("FAILED"));
                assertThat(status(client, videoId)).isEqualTo("READY");

                // The catalog's last span ends just after the video is READY; then one batch delay to arrive.
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertOneTrace(otlp.spans(), videoId, jobId));
                // The trace as received, in the test's report, for whoever wants to see what was checked.
                System.out.println("The upload's trace:" + render(traceOf(otlp.spans())));
            }
        }
    }

    private static String status(CatalogClient client, String videoId) {
        return client.video(videoId).get("status").asText();
    }

    private static void assertOneTrace(List<ReceivedSpan> received, String videoId, String jobId) {
        ReceivedSpan upload = only(received, OneTraceIT::isUpload, "the upload's HTTP server span");
        assertThat(upload.service()).isEqualTo(CATALOG_SERVICE);
        List<ReceivedSpan> trace = traceOf(received);
        Map<String, ReceivedSpan> byId = trace.stream()
                .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity(), (first, second) -> first));
        String spans = render(trace);

        // The relay's send of the outbox row the upload wrote: in the catalog, under the upload's request.
        ReceivedSpan requested = only(trace, span -> span.kind() == ReceivedSpan.Kind.PRODUCER
                && span.name().contains("video.transcode.requests"), "the transcode request's Kafka send" + spans);
        assertThat(requested.service()).isEqualTo(CATALOG_SERVICE);
        assertThat(descendsFrom(requested, upload, byId)).as("the request's send under the upload" + spans).isTrue();

        // The transcoder's job: across the process boundary, the child of the send whose record it consumed.
        ReceivedSpan job = only(trace, span -> span.name().equals("transcode job"), "the job's span" + spans);
        assertThat(job.service()).isEqualTo(TRANSCODER_SERVICE);
        assertThat(job.kind()).isEqualTo(ReceivedSpan.Kind.CONSUMER);
        assertThat(job.isChildOf(requested)).as("the job under the request's send" + spans).isTrue();
        assertThat(job.attributes()).containsEntry("video.id", videoId).containsEntry("job.id", jobId);
        for (String stage : List.of("probe", "encode", "package")) {
            ReceivedSpan stageSpan = only(trace, span -> span.name().equals(stage), "the " + stage + " span" + spans);
            assertThat(stageSpan.service()).isEqualTo(TRANSCODER_SERVICE);
            assertThat(stageSpan.isChildOf(job)).as(stage + " under the job" + spans).isTrue();
        }

        // The events the job sent, each applied by the catalog under the send of its record.
        List<ReceivedSpan> sends = trace.stream().filter(span -> span.service().equals(TRANSCODER_SERVICE)
                        && span.kind() == ReceivedSpan.Kind.PRODUCER && span.name().contains("video.transcode.events"))
                .toList();
        assertThat(sends).as("the job's event sends" + spans).isNotEmpty()
                .allSatisfy(send -> assertThat(descendsFrom(send, job, byId)).as(send + " under the job").isTrue());
        List<ReceivedSpan> applied = trace.stream().filter(span -> span.name().startsWith("apply ")).toList();
        assertThat(applied).extracting(ReceivedSpan::name).as("the catalog's applied events" + spans)
                .contains("apply TranscodeProgress", "apply TranscodeCompleted");
        assertThat(applied).allSatisfy(apply -> {
            assertThat(apply.service()).isEqualTo(CATALOG_SERVICE);
            assertThat(sends).as(apply + " under one of the job's sends").anyMatch(apply::isChildOf);
        });
        // The database work of applying an event belongs to its apply span, not to the connector's receive span.
        assertThat(trace).filteredOn(span -> span.name().equals("INSERT inbox_event")).as("the inbox writes" + spans)
                .isNotEmpty()
                .allSatisfy(insert -> assertThat(applied).as(insert + " under an apply span")
                        .anyMatch(insert::isChildOf));
    }

    /** The spans of the upload's trace. */
    private static List<ReceivedSpan> traceOf(List<ReceivedSpan> received) {
        String traceId = only(received, OneTraceIT::isUpload, "the upload's HTTP server span").traceId();
        return received.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private static boolean isUpload(ReceivedSpan span) {
        return span.kind() == ReceivedSpan.Kind.SERVER && span.name().equals("PUT /api/videos/{id}/source");
    }

    private static String render(List<ReceivedSpan> spans) {
        return spans.stream().map(ReceivedSpan::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> which, String what) {
        List<ReceivedSpan> found = spans.stream().filter(which).toList();
        assertThat(found).as(what).hasSize(1);
        return found.get(0);
    }

    /** Whether {@code ancestor} is on {@code span}'s chain of parents within one process's spans. */
    private static boolean descendsFrom(ReceivedSpan span, ReceivedSpan ancestor, Map<String, ReceivedSpan> byId) {
        for (ReceivedSpan parent = byId.get(span.parentSpanId()); parent != null;
                parent = byId.get(parent.parentSpanId())) {
            if (parent.spanId().equals(ancestor.spanId())) {
                return true;
            }
        }
        return false;
    }
}
