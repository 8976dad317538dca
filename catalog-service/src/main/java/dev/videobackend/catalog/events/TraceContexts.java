package dev.videobackend.catalog.events;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * W3C trace context where the catalog's events travel without a span to carry it: in an outbox row between the
 * request's transaction and the relay's later send, and in the headers of a consumed record.
 */
@ApplicationScoped
public class TraceContexts {

    static final String TRACEPARENT = "traceparent";
    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
    private static final TextMapGetter<Headers> KAFKA_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final TextMapPropagator propagator;

    TraceContexts(OpenTelemetry openTelemetry) {
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** The current span's {@code traceparent}, or {@code null} without one (tracing off, or no span). */
    String currentTraceparent() {
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(Context.current(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /** The context a stored {@code traceparent} names; the root context for {@code null}. */
    Context fromTraceparent(String traceparent) {
        return traceparent == null ? Context.root()
                : propagator.extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP);
    }

    /** The trace context a consumed record carries; the root context when it carries none. */
    public Context fromHeaders(Headers headers) {
        return propagator.extract(Context.root(), headers, KAFKA_HEADERS);
    }
}
