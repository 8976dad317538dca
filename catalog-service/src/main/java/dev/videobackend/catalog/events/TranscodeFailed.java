package dev.videobackend.catalog.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/** The job ended without renditions; {@code code} is one of the codes listed in {@code docs/events.md}. */
@RegisterForReflection
public record TranscodeFailed(
        UUID eventId,
        String type,
        int schemaVersion,
        UUID videoId,
        UUID jobId,
        Instant occurredAt,
        String code,
        String message,
        boolean retryable,
        Integer attempt) implements TranscoderEvent {

    public static final String TYPE = "TranscodeFailed";
}
