package dev.videobackend.catalog.video;

import dev.videobackend.catalog.events.Outbox;
import dev.videobackend.catalog.events.TranscodeCancelRequested;
import dev.videobackend.catalog.events.TranscodeRequested;
import dev.videobackend.catalog.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/**
 * Starting and ending a video's transcode jobs, with their events written to the outbox in the caller's
 * transaction: a job's {@code TranscodeRequested}, and the {@code TranscodeCancelRequested} of a job that ends
 * before it sends its final event.
 */
@ApplicationScoped
public class TranscodeJobs {

    private final Outbox outbox;
    private final UploaderQuotas quotas;

    TranscodeJobs(Outbox outbox, UploaderQuotas quotas) {
        this.outbox = outbox;
        this.quotas = quotas;
    }

    /**
     * Queues a new job of the video's stored source, within the owner's quotas ({@code sourceBytes} newly uploaded,
     * 0 for a retranscode). Events of earlier jobs become stale; a job still running is superseded and told to stop.
     */
    Uni<Void> start(Video video, long sourceBytes, Caller caller, Instant now) {
        return quotas.chargeJob(video, sourceBytes, caller).chain(() -> {
            UUID superseded = video.jobRunning() ? video.jobId : null;
            video.moveTo(VideoStatus.QUEUED);
            video.jobId = UUID.randomUUID();
            video.transcodeAttempts++;
            video.clearProgress();
            video.failureCode = null;
            video.failureMessage = null;
            video.updatedAt = now;
            Uni<Void> cancelled = superseded == null ? Uni.createFrom().voidItem()
                    : cancel(video.id, superseded, TranscodeCancelRequested.Reason.SOURCE_REPLACED, now);
            return cancelled.chain(() -> outbox.enqueue(TranscodeRequested.of(video.id, video.jobId,
                    new TranscodeRequested.Source(video.sourcePath, video.sourceSizeBytes, video.sourceSha256), now)));
        }).chain(() -> VideoChanges.announce(video.id));
    }

    /** Ends the video's running job now: it returns to its last output, or to UPLOADED, and the transcoders stop it. */
    Uni<Void> stop(Video video, Instant now) {
        UUID stopped = video.jobId;
        video.moveTo(video.masterPlaylistPath != null ? VideoStatus.READY : VideoStatus.UPLOADED);
        video.jobId = null;
        video.clearProgress();
        video.updatedAt = now;
        return cancel(video.id, stopped, TranscodeCancelRequested.Reason.CANCELLED_BY_USER, now)
                .chain(() -> VideoChanges.announce(video.id));
    }

    /** Tells every transcoder to stop the job. */
    Uni<Void> cancel(UUID videoId, UUID jobId, TranscodeCancelRequested.Reason reason, Instant now) {
        return outbox.enqueue(TranscodeCancelRequested.of(videoId, jobId, reason, now));
    }
}
