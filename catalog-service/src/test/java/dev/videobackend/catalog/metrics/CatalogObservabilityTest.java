package dev.videobackend.catalog.metrics;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import dev.videobackend.infra.kafka.KafkaTestClient;
import dev.videobackend.infra.observability.RecentSpans;
import dev.videobackend.infra.observability.Scrape;
import io.opentelemetry.api.trace.SpanKind;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees of real traffic: the meters at {@code /q/metrics} move as an upload, its transcoder events
 * and GraphQL calls imply, with no id in any label; the upload's request, its outbox row and its Kafka record are
 * one trace; applying a transcoder event continues the trace its record carries.
 */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class CatalogObservabilityTest extends KafkaTestBase {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** The metric names the Kubernetes alerts and dashboard use, checked in for deploy/kubernetes's tests. */
    private static final Path METRIC_NAMES = Path.of("../deploy/kubernetes/src/test/resources/metrics/catalog-service.txt");

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Inject
    RecentSpans spans;

    @Test
    void anUploadItsEventsAndGraphQlCallsMoveTheirMetersWithoutIdsInLabels() throws Exception {
        Scrape before = Scrape.of(metrics);
        String id = Videos.create(Tokens.ALICE, "Metered", Map.of());
        String job = Videos.upload(Tokens.ALICE, id);
        String completed = Videos.completed(mediaRoot, id, job);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, completed);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, completed);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, "not an event");
        Videos.awaitStatus(Tokens.ALICE, id, "READY");
        GraphQl.postAs(Tokens.ALICE, "mutation { createVideo(input: {title: \"\", category: \"test\"}) { id } }",
                Map.of());
        // Requests answered before a route matched them (CORS preflights, refusals, methods no route has), which
        // Micrometer would label with their raw path.
        given().header("Tus-Resumable", "1.0.0").when().head("/api/uploads/{id}", UUID.randomUUID()).then();
        given().contentType("video/mp4").body(new byte[10]).when().put("/api/videos/{id}/source", UUID.randomUUID())
                .then();
        given().when().get("/media/{video}/{job}/master.m3u8", UUID.randomUUID(), UUID.randomUUID()).then();
        given().header("Origin", "https://player.example").header("Access-Control-Request-Method", "PUT")
                .when().options("/api/videos/{id}/source", UUID.randomUUID()).then();
        given().header("Origin", "https://player.example").header("Access-Control-Request-Method", "PATCH")
                .when().options("/api/uploads/{id}", UUID.randomUUID()).then();
        given().when().delete("/api/videos/{id}/source", UUID.randomUUID()).then();

        await().atMost(TIMEOUT).until(() -> {
            Scrape now = Scrape.of(metrics);
            return delta(before, now, "catalog_inbox_duplicates_total", Map.of()) >= 1
                    && delta(before, now, "catalog_events_dead_lettered_total", Map.of()) >= 1
                    && now.value("catalog_videos", Map.of("status", "READY")) >= 1;
        });
        Scrape after = Scrape.of(metrics);
        assertThat(delta(before, after, "catalog_inbox_duplicates_total", Map.of())).isEqualTo(1);
        assertThat(delta(before, after, "catalog_events_dead_lettered_total", Map.of())).isEqualTo(1);
        assertThat(delta(before, after, "catalog_upload_received_bytes_total", Map.of())).isEqualTo(4_000);
        assertThat(after.value("catalog_uploads_in_progress")).isZero();
        assertThat(delta(before, after, "http_server_requests_seconds_count",
                Map.of("uri", "/api/videos/{id}/source", "method", "PUT", "status", "202"))).isEqualTo(1);
        assertThat(after.value("http_server_requests_seconds_bucket",
                Map.of("uri", "/api/videos/{id}/source", "le", "+Inf"))).isPositive();
        assertThat(delta(before, after, "catalog_graphql_operations_total",
                Map.of("operation", "createVideo", "type", "mutation", "code", "OK"))).isEqualTo(1);
        assertThat(delta(before, after, "catalog_graphql_operations_total",
                Map.of("operation", "createVideo", "type", "mutation", "code", "VALIDATION"))).isEqualTo(1);
        assertThat(after.has("catalog_outbox_pending")).isTrue();
        assertThat(after.has("catalog_outbox_oldest_age_seconds")).isTrue();
        assertThat(after.has("catalog_file_deletions_pending")).isTrue();
        assertThat(after.has("catalog_subscriptions_active")).isTrue();
        assertThat(after.text().lines().filter(line -> UUID_TEXT.matcher(line).find())).as("ids in labels").isEmpty();
        assertThat(after.names()).containsAll(Files.readAllLines(METRIC_NAMES).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList());
    }

    @Test
    void anUploadsRequestOutboxRowAndKafkaRecordAreOneTraceAndAppliedEventsContinueTheirs() {
        String uploadTrace = "0af7651916cd43dd8448eb211c80319c";
        String clientSpan = "b7ad6b7169203331";
        String id = Videos.create(Tokens.ALICE, "Traced", Map.of());
        String job;
        try (KafkaTestClient.Reader requests = kafka.reader(CatalogTestProfile.REQUESTS_TOPIC)) {
            job = Tokens.as(Tokens.ALICE).header("traceparent", "00-" + uploadTrace + "-" + clientSpan + "-01")
                    .contentType("video/mp4").body(Videos.mp4Like(4_000))
                    .when().put("/api/videos/{id}/source", id)
                    .then().statusCode(202).extract().path("jobId");
            ConsumerRecord<String, String> request = requests.await(record -> record.value().contains(job), TIMEOUT);
            assertThat(KafkaTestClient.header(request, "traceparent")).startsWith("00-" + uploadTrace + "-");
        }
        await().atMost(TIMEOUT).until(() -> spans.ofTrace(uploadTrace).stream()
                .anyMatch(span -> span.getKind() == SpanKind.PRODUCER));
        assertThat(spans.ofTrace(uploadTrace)).extracting(SpanData::getKind).contains(SpanKind.SERVER);

        String transcoderTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String transcoderSpan = "00f067aa0ba902b7";
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, Videos.completed(mediaRoot, id, job),
                Map.of("traceparent", "00-" + transcoderTrace + "-" + transcoderSpan + "-01"));
        Videos.awaitStatus(Tokens.ALICE, id, "READY");
        await().atMost(TIMEOUT).until(() -> spans.ofTrace(transcoderTrace).stream()
                .anyMatch(span -> span.getName().equals("apply TranscodeCompleted")));
        SpanData applied = spans.ofTrace(transcoderTrace).stream()
                .filter(span -> span.getName().equals("apply TranscodeCompleted")).findFirst().orElseThrow();
        assertThat(applied.getParentSpanId()).isEqualTo(transcoderSpan);
        assertThat(applied.getAttributes().asMap().values()).contains(id, job);
    }

    @Test
    void applyingAnEventLogsWithTheVideoJobAndTraceIds() {
        String traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
        String videoId = UUID.randomUUID().toString();
        String jobId = UUID.randomUUID().toString();
        List<Map<String, String>> contexts = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof ExtLogRecord logged && logged.getFormattedMessage().contains(videoId)) {
                    contexts.add(logged.getMdcCopy());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger("dev.videobackend.catalog.video.TranscodeEventsService");
        log.addHandler(capture);
        try {
            // An event of a video that does not exist is dropped, with one log line.
            kafka.send(CatalogTestProfile.EVENTS_TOPIC, videoId, Videos.failed(videoId, jobId, "CORRUPT_INPUT"),
                    Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
            await().atMost(TIMEOUT).until(() -> !contexts.isEmpty());
        } finally {
            log.removeHandler(capture);
        }
        // What JSON logs carry (quarkus-logging-json writes the MDC).
        assertThat(contexts.get(0)).containsEntry("videoId", videoId).containsEntry("jobId", jobId)
                .containsEntry("traceId", traceId).containsKey("spanId");
    }

    private static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
