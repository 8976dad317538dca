package dev.videobackend.transcoder.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/** How far a job is: at most two a second per job, and always one when a stage ends. */
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
