package dev.videobackend.stack.tracing;

import java.util.Map;

/**
 * One span as a service exported it over OTLP: ids in lower-case hex (the parent's empty for a root span), the
 * exporting service's {@code service.name}, and the string, integer and boolean attributes as text.
 */
public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, Kind kind,
        Map<String, String> attributes) {

    /** OTLP's span kinds, in the order of their numbers in the protocol. */
    public enum Kind {
        UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER;

        static Kind of(long number) {
            return number >= 0 && number < values().length ? values()[(int) number] : UNSPECIFIED;
        }
    }

    public boolean isChildOf(ReceivedSpan parent) {
        return traceId.equals(parent.traceId) && parentSpanId.equals(parent.spanId);
    }

    @Override
    public String toString() {
        return service + " " + kind + " '" + name + "' " + traceId + "/" + spanId + " <- " + parentSpanId;
    }
}
