package dev.videobackend.transcoder.events;

import java.time.Instant;
import java.util.UUID;

/** The envelope every event of the transcoder carries. */
public sealed interface TranscoderEvent permits TranscodeProgress, TranscodeCompleted, TranscodeFailed {

    UUID eventId();

    String type();

    int schemaVersion();

    UUID videoId();

    UUID jobId();

    Instant occurredAt();
}
