package dev.videobackend.catalog.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/** How far a job is; sent at most twice a second per job. */
@RegisterForReflection
public record TranscodeProgress(
        UUID eventId,
        String type,
        int schemaVersion,
        UUID videoId,
        UUID jobId,
        Instant occurredAt,
        String stage,
        double percent,
        Double framesPerSecond,
        Double speed,
        Double etaSeconds,
        int renditionsDone,
        int renditionsTotal,
        Integer attempt) implements TranscoderEvent {

    public static final String TYPE = "TranscodeProgress";
}
