package dev.videobackend.catalog.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/**
 * What the transcoder reports on {@code video.transcode.events}, told apart by {@code type}. Registered for
 * reflection, like its subtypes, so that a native build keeps the type annotations Jackson dispatches on.
 */
@RegisterForReflection
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type", visible = true)
@JsonSubTypes({
        @JsonSubTypes.Type(value = TranscodeProgress.class, name = TranscodeProgress.TYPE),
        @JsonSubTypes.Type(value = TranscodeCompleted.class, name = TranscodeCompleted.TYPE),
        @JsonSubTypes.Type(value = TranscodeFailed.class, name = TranscodeFailed.TYPE)
})
public sealed interface TranscoderEvent permits TranscodeProgress, TranscodeCompleted, TranscodeFailed {

    UUID eventId();

    String type();

    int schemaVersion();

    UUID videoId();

    UUID jobId();

    Instant occurredAt();
}
