package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.UnavailableException;
import dev.videobackend.catalog.events.EventJson;
import dev.videobackend.catalog.events.MalformedEventException;
import dev.videobackend.catalog.events.TraceContexts;
import dev.videobackend.catalog.events.TranscoderEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;

/**
 * Consumes {@code video.transcode.events}. A record that is not a valid event is refused and goes to the
 * dead-letter topic; a failure to apply a valid one is retried, holding back the partition so that one video's
 * events stay in order: while the database is unreachable for as long as it is (up to the channel's
 * {@code throttled.unprocessed-record-max-age.ms}, past which liveness fails and a restart redelivers the event),
 * any other failure (a concurrent update) ten times before the event is dead-lettered. Applying an event is a span
 * of the trace the record carries (the upload's, continued by the transcoder), and its log lines name the video and
 * job.
 */
@ApplicationScoped
public class TranscodeEventsConsumer {

    private static final Logger LOG = Logger.getLogger(TranscodeEventsConsumer.class);

    private final TranscodeEventsService events;
    private final TraceContexts traces;
    private final Tracer tracer;
    private final Counter deadLettered;

    TranscodeEventsConsumer(TranscodeEventsService events, TraceContexts traces, OpenTelemetry openTelemetry,
            MeterRegistry registry) {
        this.events = events;
        this.traces = traces;
        this.tracer = openTelemetry.getTracer("dev.videobackend.catalog");
        this.deadLettered = Counter.builder("catalog.events.dead.lettered")
                .description("Transcoder event records refused or never applied, sent to the dead-letter topic")
                .register(registry);
    }

    @Incoming("transcode-events")
    public Uni<Void> consume(String payload, IncomingKafkaRecordMetadata<String, String> record) {
        TranscoderEvent event;
        try {
            event = EventJson.readTranscoderEvent(payload);
        } catch (MalformedEventException e) {
            LOG.warnf("Refused a malformed record on the transcode events topic: %s", e.getMessage());
            deadLettered.increment();
            return Uni.createFrom().failure(e);
        }
        Span span = tracer.spanBuilder("apply " + event.type()).setSpanKind(SpanKind.CONSUMER)
                .setParent(traces.fromHeaders(record.getHeaders()))
                .setAttribute("video.id", event.videoId().toString())
                .setAttribute("job.id", event.jobId().toString())
                .startSpan();
        onMessageContext(event, span);
        return events.apply(event)
                // The database is away (a restart, a fail-over): the event is fine, so wait for the database however
                // long it takes instead of dead-lettering it after the retries below, which would lose it.
                .onFailure(UnavailableException::isCause).invoke(failure -> LOG.warnf(
                        "Waiting for the database to apply %s %s: %s", event.type(), event.eventId(), failure))
                .onFailure(UnavailableException::isCause)
                .retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10)).indefinitely()
                .onFailure(failure -> !(failure instanceof MalformedEventException))
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).atMost(10)
                .onFailure().invoke(failure -> {
                    deadLettered.increment();
                    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                    LOG.errorf(failure, "Could not apply %s %s of video %s", event.type(), event.eventId(),
                            event.videoId());
                })
                .onTermination().invoke(span::end);
    }

    /**
     * The ids in the MDC, and the span current, so that the database work of applying the event is its child rather
     * than the connector's receive span's. Only on the message's own (duplicated) Vert.x context, which holds both and
     * ends with the message, so the span's scope stays open with it: anywhere else they would stay on the thread for
     * whatever runs next.
     */
    private static void onMessageContext(TranscoderEvent event, Span span) {
        if (!VertxContext.isOnDuplicatedContext()) {
            return;
        }
        @SuppressWarnings("unused")
        Scope current = span.makeCurrent();
        MDC.put("videoId", event.videoId().toString());
        MDC.put("jobId", event.jobId().toString());
        if (span.getSpanContext().isValid()) {
            MDC.put("traceId", span.getSpanContext().getTraceId());
            MDC.put("spanId", span.getSpanContext().getSpanId());
        }
    }
}
