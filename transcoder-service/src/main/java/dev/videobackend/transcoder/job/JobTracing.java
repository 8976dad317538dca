package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.TranscodeRequested;
import dev.videobackend.transcoder.transcode.LadderTranscoder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.stream.StreamSupport;

/**
 * A job's trace: continues the trace of the upload that requested it (the W3C {@code traceparent} the catalog put in
 * the request's record headers), with a span for the job and one child span per pipeline stage (probe, encode,
 * package). The job's span is current on its worker thread, so the events it sends carry it.
 */
@ApplicationScoped
public class JobTracing {

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

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    JobTracing(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("dev.videobackend.transcoder");
    }

    /** The trace context the request's record carries; the root context when it carries none. */
    Context requestContext(Headers headers) {
        return openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), headers, KAFKA_HEADERS);
    }

    /** Starts the job's span as a child of {@code parent}; make it current on the job's thread. */
    Span startJob(TranscodeRequested request, Context parent) {
        return tracer.spanBuilder("transcode job").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("video.id", request.videoId().toString())
                .setAttribute("job.id", request.jobId().toString())
                .startSpan();
    }

    /** Marks the span failed with the job's failure code (a bounded value, so traces can be searched by it). */
    static void failed(Span span, String code) {
        span.setStatus(StatusCode.ERROR, code);
        span.setAttribute("transcode.failure.code", code);
    }

    /** Opens a child span of the current one per pipeline stage, closing the previous; close it when the job ends. */
    StageSpans stageSpans() {
        return new StageSpans(tracer);
    }

    static final class StageSpans implements LadderTranscoder.ProgressListener, AutoCloseable {

        private final Tracer tracer;
        private final Context parent = Context.current();
        private LadderTranscoder.Stage stage;
        private Span span;

        private StageSpans(Tracer tracer) {
            this.tracer = tracer;
        }

        @Override
        public void onProgress(LadderTranscoder.Progress progress) {
            if (progress.stage() == stage) {
                return;
            }
            close();
            stage = progress.stage();
            span = tracer.spanBuilder(spanName(stage)).setParent(parent).startSpan();
        }

        private static String spanName(LadderTranscoder.Stage stage) {
            return switch (stage) {
                case PROBING -> "probe";
                case ENCODING -> "encode";
                case PACKAGING -> "package";
            };
        }

        @Override
        public void close() {
            if (span != null) {
                span.end();
                span = null;
            }
        }
    }
}
