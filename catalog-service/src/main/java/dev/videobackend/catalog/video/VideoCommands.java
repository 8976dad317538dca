package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ConflictException;
import dev.videobackend.catalog.events.Outbox;
import dev.videobackend.catalog.events.TranscodeCancelRequested;
import dev.videobackend.catalog.events.VideoDeleted;
import dev.videobackend.catalog.events.VideoMediaRevoked;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.catalog.media.MediaStorage;
import dev.videobackend.catalog.media.MediaUrls;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.transaction.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * What owners and admins do to a video's transcoding and existence: retranscode, cancel, delete. Each commits its
 * state change and its events together (outbox); {@link Transactions} publishes them right after.
 */
@ApplicationScoped
public class VideoCommands {

    private static final Set<VideoStatus> RETRANSCODABLE = EnumSet.of(VideoStatus.UPLOADED, VideoStatus.READY,
            VideoStatus.FAILED);

    private final EditableVideos editable;
    private final TranscodeJobs jobs;
    private final Outbox outbox;
    private final MediaUrls urls;
    private final Transactions transactions;

    VideoCommands(EditableVideos editable, TranscodeJobs jobs, Outbox outbox, MediaUrls urls,
            Transactions transactions) {
        this.editable = editable;
        this.jobs = jobs;
        this.outbox = outbox;
        this.urls = urls;
        this.transactions = transactions;
    }

    /**
     * Transcodes the stored source again as a new job, from UPLOADED, READY or FAILED, within the owner's quotas;
     * returns the video's id once committed.
     */
    public Uni<UUID> retranscode(UUID id, Caller caller) {
        VideoAccess.requireSignedIn(caller);
        return transactions.commit(() -> editable.load(id, caller).chain(video -> {
                    if (!RETRANSCODABLE.contains(video.status) || video.sourcePath == null) {
                        throw new ConflictException("Video " + id + " is " + video.status + ": only a video that is "
                                + "UPLOADED, READY or FAILED can be transcoded again" + (video.jobRunning()
                                ? " (cancel the running job first)" : ""));
                    }
                    return jobs.start(video, 0, caller, Timestamps.now()).call(Panache::flush).replaceWith(video.id);
                }))
                .onFailure(OptimisticLocks::isStale).transform(stale -> OptimisticLocks.conflict(id));
    }

    /**
     * Ends the running job at once and tells the transcoders to stop it. The video goes back to READY with the
     * output of its last completed job if it has one, else to UPLOADED; either way it has no current job, so
     * the cancelled job's late events are dropped (and its output, if it still completes, is deleted). Returns the
     * video's id once committed.
     */
    public Uni<UUID> cancelTranscode(UUID id, Caller caller) {
        VideoAccess.requireSignedIn(caller);
        return transactions.commit(() -> editable.load(id, caller).chain(video -> {
                    if (!video.jobRunning()) {
                        throw new ConflictException("Video " + id + " is " + video.status + ": no transcode is running");
                    }
                    return jobs.stop(video, Timestamps.now()).call(Panache::flush).replaceWith(video.id);
                }))
                .onFailure(OptimisticLocks::isStale).transform(stale -> OptimisticLocks.conflict(id));
    }

    /**
     * Deletes the video's row, renditions and inbox rows with a {@code VideoDeleted} and a {@code VideoMediaRevoked}
     * event (and a {@code TranscodeCancelRequested} if a job was running) and the removal of its stored files in
     * one transaction; the files go right after it commits, or on a later sweep if that fails.
     */
    public Uni<UUID> delete(UUID id, Caller caller) {
        VideoAccess.requireSignedIn(caller);
        return transactions.commit(() -> editable.load(id, caller).chain(video -> {
                    Instant now = Timestamps.now();
                    Uni<Void> cancel = video.jobRunning()
                            ? jobs.cancel(video.id, video.jobId, TranscodeCancelRequested.Reason.VIDEO_DELETED, now)
                            : Uni.createFrom().voidItem();
                    return cancel
                            .chain(() -> outbox.enqueue(VideoDeleted.of(video.id, video.slug, video.owner, now)))
                            .chain(() -> outbox.enqueue(VideoMediaRevoked.of(video.id,
                                    VideoMediaRevoked.Reason.VIDEO_DELETED, urls.mediaPrefix(video.id), now)))
                            .chain(() -> Rendition.delete("video.id", video.id))
                            .chain(() -> InboxEvent.delete("videoId", video.id))
                            .chain(video::delete)
                            .chain(() -> FileDeletions.record(MediaStorage.videoDirectories(video.id)))
                            .chain(() -> VideoChanges.announce(video.id))
                            .replaceWith(video.id);
                }))
                .onFailure(OptimisticLocks::isStale).transform(stale -> OptimisticLocks.conflict(id));
    }
}
