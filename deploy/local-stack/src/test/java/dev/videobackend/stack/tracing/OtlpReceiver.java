package dev.videobackend.stack.tracing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver in the test's process, standing in for an OpenTelemetry Collector: the services export
 * to it over {@code http/protobuf}, and it answers every export with success. It either keeps the spans it received
 * ({@link #keeping()}, for tests that follow a trace) or only counts the exports ({@link #discarding()}, for
 * measuring what exporting costs the services without a test holding every span).
 */
public final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final boolean keep;
    private final List<ReceivedSpan> spans = new ArrayList<>();
    private final AtomicLong exports = new AtomicLong();

    private OtlpReceiver(boolean keep) throws IOException {
        this.keep = keep;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", this::export);
        server.setExecutor(executor);
        server.start();
    }

    public static OtlpReceiver keeping() throws IOException {
        return new OtlpReceiver(true);
    }

    public static OtlpReceiver discarding() throws IOException {
        return new OtlpReceiver(false);
    }

    /** The base URL to export to; the exporter adds {@code /v1/traces}. */
    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /**
     * The environment that turns a service's tracing on and exports to this receiver: {@code samplerRatio} of the
     * traces started in it kept (as in production, a service continues a trace it is handed whatever its own ratio),
     * batches sent at most {@code scheduleDelay} after their first span ends.
     */
    public Map<String, String> serviceEnvironment(double samplerRatio, Duration scheduleDelay) {
        return Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint().toString(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_TRACES_SAMPLER_ARG", String.valueOf(samplerRatio),
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", scheduleDelay.toMillis() + "ms");
    }

    /** Every span received so far (none when discarding). */
    public synchronized List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The number of export requests answered. */
    public long exports() {
        return exports.get();
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (keep) {
                List<ReceivedSpan> received = OtlpTraces.decode(body);
                synchronized (this) {
                    spans.addAll(received);
                }
            }
            exports.incrementAndGet();
            // An empty ExportTraceServiceResponse: everything accepted.
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
