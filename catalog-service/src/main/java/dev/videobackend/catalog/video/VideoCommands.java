package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ConflictException;
import dev.videobackend.catalog.events.Outbox;
import dev.videobackend.catalog.events.OutboxRelay;
import dev.videobackend.catalog.events.TranscodeCancelRequested;
import dev.videobackend.catalog.events.VideoDeleted;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.catalog.media.MediaStorage;
import dev.videobackend.catalog.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * What owners and admins do to a video's transcoding and existence: retranscode, cancel, delete. Each commits
 * its state change and its events together (outbox), then asks the relay to publish at once.
 */
@ApplicationScoped
public class VideoCommands {

    /** A job is running (queued or reporting progress). */
    private static final Set<VideoStatus> RUNNING = EnumSet.of(VideoStatus.QUEUED, VideoStatus.PROCESSING);
    private static final Set<VideoStatus> RETRANSCODABLE = EnumSet.of(VideoStatus.UPLOADED, VideoStatus.READY,
            VideoStatus.FAILED);

    private final VideoService videos;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final FileDeletions fileDeletions;

    VideoCommands(VideoService videos, Outbox outbox, OutboxRelay relay, FileDeletions fileDeletions) {
        this.videos = videos;
        this.outbox = outbox;
        this.relay = relay;
        this.fileDeletions = fileDeletions;
    }

    /** Transcodes the stored source again as a new job, from UPLOADED, READY or FAILED; returns the video's id. */
    public Uni<UUID> retranscode(UUID id, Caller caller) {
        return Panache.withTransaction(() -> load(id, caller).chain(video -> {
                    if (!RETRANSCODABLE.contains(video.status) || video.sourcePath == null) {
                        throw new ConflictException("Video " + id + " is " + video.status + ": only a video that is "
                                + "UPLOADED, READY or FAILED can be transcoded again" + (RUNNING.contains(video.status)
                                ? " (cancel the running job first)" : ""));
                    }
                    return videos.startJob(video, Timestamps.now()).call(Panache::flush).replaceWith(video.id);
                }))
                .onFailure(OptimisticLocks::isStale).transform(stale -> OptimisticLocks.conflict(id))
                .invoke(relay::publishSoon);
    }

    /**
     * Ends the running job at once and tells the transcoders to stop it. The video goes back to READY with the
     * output of its last completed job if it has one, else to UPLOADED; either way it has no current job, so
     * the cancelled job's late events are dropped (and its output, if it still completes, is deleted).
     */
    public Uni<UUID> cancelTranscode(UUID id, Caller caller) {
        return Panache.withTransaction(() -> load(id, caller).chain(video -> {
                    if (!RUNNING.contains(video.status)) {
                        throw new ConflictException("Video " + id + " is " + video.status + ": no transcode is running");
                    }
                    Instant now = Timestamps.now();
                    TranscodeCancelRequested cancel = TranscodeCancelRequested.of(video.id, video.jobId,
                            TranscodeCancelRequested.Reason.CANCELLED_BY_USER, now);
                    video.moveTo(video.masterPlaylistPath != null ? VideoStatus.READY : VideoStatus.UPLOADED);
                    video.jobId = null;
                    VideoService.clearProgress(video);
                    video.updatedAt = now;
                    return outbox.enqueue(cancel)
                            .chain(() -> VideoChanges.announce(video.id))
                            .call(Panache::flush)
                            .replaceWith(video.id);
                }))
                .onFailure(OptimisticLocks::isStale).transform(stale -> OptimisticLocks.conflict(id))
                .invoke(relay::publishSoon);
    }

    /**
     * Deletes the video's row, renditions and inbox rows with a {@code VideoDeleted} event (and a
     * {@code TranscodeCancelRequested} if a job was running) and the removal of its stored files in one
     * transaction; the files go right after it commits, or on a later sweep if that fails.
     */
    public Uni<UUID> delete(UUID id, Caller caller) {
        // Without its renditions: the bulk delete removes them, and loaded ones would still point at the video.
        return Panache.withTransaction(() -> Video.<Video>findById(id)
                .map(found -> VideoService.requireEditable(found, id, caller)).chain(video -> {
                    Instant now = Timestamps.now();
                    Uni<Void> cancel = RUNNING.contains(video.status)
                            ? outbox.enqueue(TranscodeCancelRequested.of(video.id, video.jobId,
                                    TranscodeCancelRequested.Reason.VIDEO_DELETED, now))
                            : Uni.createFrom().voidItem();
                    return cancel
                            .chain(() -> outbox.enqueue(VideoDeleted.of(video.id, video.slug, video.owner, now)))
                            .chain(() -> Rendition.delete("video.id", video.id))
                            .chain(() -> InboxEvent.delete("videoId", video.id))
                            .chain(video::delete)
                            .chain(() -> FileDeletions.record(MediaStorage.videoDirectories(video.id)))
                            .chain(() -> VideoChanges.announce(video.id))
                            .replaceWith(video.id);
                }))
                .onFailure(OptimisticLocks::isStale).transform(stale -> OptimisticLocks.conflict(id))
                .invoke(relay::publishSoon)
                .invoke(fileDeletions::sweepSoon);
    }

    private static Uni<Video> load(UUID id, Caller caller) {
        return Video.<Video>findById(id).map(video -> VideoService.requireEditable(video, id, caller));
    }
}
