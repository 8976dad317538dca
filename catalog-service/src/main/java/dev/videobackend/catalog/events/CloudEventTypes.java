package dev.videobackend.catalog.events;

/** The CloudEvents {@code ce_type} header mirrors the body's {@code type} under the project's reverse-DNS prefix. */
final class CloudEventTypes {

    static final String PREFIX = "dev.videobackend.";

    private CloudEventTypes() {
    }

    static String of(String eventType) {
        return PREFIX + eventType;
    }
}
