package dev.videobackend.stack.tracing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Decodes an OTLP {@code ExportTraceServiceRequest} (protobuf, as the services' exporters POST it to
 * {@code /v1/traces}) into the few fields the tests look at. Written against the protocol's field numbers
 * (opentelemetry-proto, trace/v1/trace.proto and common/v1/common.proto) instead of generated classes, which would
 * bring protobuf's code generator into the build for a dozen fields; every other field is skipped by its wire type.
 */
final class OtlpTraces {

    private static final HexFormat HEX = HexFormat.of();

    private OtlpTraces() {
    }

    static List<ReceivedSpan> decode(byte[] request) {
        List<ReceivedSpan> spans = new ArrayList<>();
        Wire wire = new Wire(request, 0, request.length);
        while (wire.more()) {
            if (wire.field() == 1) { // ExportTraceServiceRequest.resource_spans
                resourceSpans(wire.message(), spans);
            } else {
                wire.skip();
            }
        }
        return spans;
    }

    private static void resourceSpans(Wire wire, List<ReceivedSpan> spans) {
        String service = "";
        List<Wire> scopes = new ArrayList<>();
        while (wire.more()) {
            switch (wire.field()) {
                case 1 -> service = attributes(wire.message(), 1).getOrDefault("service.name", ""); // Resource
                case 2 -> scopes.add(wire.message()); // ScopeSpans
                default -> wire.skip();
            }
        }
        for (Wire scope : scopes) {
            while (scope.more()) {
                if (scope.field() == 2) { // ScopeSpans.spans
                    spans.add(span(scope.message(), service));
                } else {
                    scope.skip();
                }
            }
        }
    }

    private static ReceivedSpan span(Wire wire, String service) {
        String traceId = "";
        String spanId = "";
        String parentSpanId = "";
        String name = "";
        ReceivedSpan.Kind kind = ReceivedSpan.Kind.UNSPECIFIED;
        Map<String, String> attributes = new HashMap<>();
        while (wire.more()) {
            switch (wire.field()) {
                case 1 -> traceId = HEX.formatHex(wire.bytes());
                case 2 -> spanId = HEX.formatHex(wire.bytes());
                case 4 -> parentSpanId = HEX.formatHex(wire.bytes());
                case 5 -> name = wire.string();
                case 6 -> kind = ReceivedSpan.Kind.of(wire.varint());
                case 9 -> attributes.putAll(keyValue(wire.message()));
                default -> wire.skip();
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parentSpanId, name, kind, Map.copyOf(attributes));
    }

    /** The {@code KeyValue}s in field {@code number} of a message (a Resource's attributes). */
    private static Map<String, String> attributes(Wire wire, int number) {
        Map<String, String> attributes = new HashMap<>();
        while (wire.more()) {
            if (wire.field() == number) {
                attributes.putAll(keyValue(wire.message()));
            } else {
                wire.skip();
            }
        }
        return attributes;
    }

    private static Map<String, String> keyValue(Wire wire) {
        String key = null;
        String value = null;
        while (wire.more()) {
            switch (wire.field()) {
                case 1 -> key = wire.string();
                case 2 -> value = anyValue(wire.message());
                default -> wire.skip();
            }
        }
        return key == null || value == null ? Map.of() : Map.of(key, value);
    }

    /** An {@code AnyValue}'s string, boolean or integer as text; {@code null} for the other kinds. */
    private static String anyValue(Wire wire) {
        String value = null;
        while (wire.more()) {
            switch (wire.field()) {
                case 1 -> value = wire.string();
                case 2 -> value = String.valueOf(wire.varint() != 0);
                case 3 -> value = String.valueOf(wire.varint());
                default -> wire.skip();
            }
        }
        return value;
    }

    /** Protobuf's wire format over a slice of a byte array: a field's tag, then its value, until the slice ends. */
    private static final class Wire {

        private final byte[] bytes;
        private final int end;
        private int position;
        private int wireType;

        Wire(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        boolean more() {
            return position < end;
        }

        /** Reads the next tag; returns its field number. */
        int field() {
            long tag = varint();
            wireType = (int) (tag & 7);
            return (int) (tag >>> 3);
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte next = read();
                value |= (long) (next & 0x7f) << shift;
                if (next >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("A varint longer than ten bytes at " + position);
        }

        byte[] bytes() {
            int length = length();
            byte[] value = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return value;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Wire message() {
            int length = length();
            Wire nested = new Wire(bytes, position, position + length);
            position += length;
            return nested;
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("Wire type " + wireType + " at " + position);
            }
        }

        private int length() {
            long length = varint();
            if (length < 0 || position + length > end) {
                throw new IllegalArgumentException("A length of " + length + " past the message's end at " + position);
            }
            return (int) length;
        }

        private void advance(int count) {
            if (position + count > end) {
                throw new IllegalArgumentException("A field past the message's end at " + position);
            }
            position += count;
        }

        private byte read() {
            if (position >= end) {
                throw new IllegalArgumentException("The message ends inside a field");
            }
            return bytes[position++];
        }
    }
}
