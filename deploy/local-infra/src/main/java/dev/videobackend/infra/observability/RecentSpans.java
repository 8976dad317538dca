package dev.videobackend.infra.observability;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * The services' test span exporter: a CDI {@link SpanExporter} takes the place of OTLP (each service indexes this
 * module in its test profile, quarkus.index-dependency). Keeps the most recent spans only,
 * so that a long test run does not hold every span it made.
 */
@ApplicationScoped
public class RecentSpans implements SpanExporter {

    private static final int KEPT = 5000;
    private final Deque<SpanData> spans = new ArrayDeque<>();

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> exported) {
        spans.addAll(exported);
        while (spans.size() > KEPT) {
            spans.removeFirst();
        }
        return CompletableResultCode.ofSuccess();
    }

    public synchronized List<SpanData> ofTrace(String traceId) {
        return spans.stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
