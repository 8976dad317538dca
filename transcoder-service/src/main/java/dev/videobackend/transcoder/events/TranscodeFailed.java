package dev.videobackend.transcoder.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/** The job ended without renditions: a code from {@code docs/events.md}, a message for people, retry advice. */
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
