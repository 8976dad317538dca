package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ConflictException;
import dev.videobackend.catalog.events.Outbox;
import dev.videobackend.catalog.events.VideoMediaRevoked;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.catalog.media.MediaUrls;
import dev.videobackend.catalog.media.StoredSource;
import dev.videobackend.catalog.security.AccessFacts;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.UserId;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.security.Visibility;
import dev.videobackend.catalog.transaction.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Creating videos, changing what their owners say of them, and taking in their sources: the write side (the read
 * side is {@code video.query}).
 */
@ApplicationScoped
public class VideoService {

    private final EditableVideos editable;
    private final TranscodeJobs jobs;
    private final Outbox outbox;
    private final MediaUrls urls;
    private final Transactions transactions;

    VideoService(EditableVideos editable, TranscodeJobs jobs, Outbox outbox, MediaUrls urls,
            Transactions transactions) {
        this.editable = editable;
        this.jobs = jobs;
        this.outbox = outbox;
        this.urls = urls;
        this.transactions = transactions;
    }

    /**
     * Creates a video owned by the caller; its slug is the title's words (or the chosen ones) and a random part.
     * Returns its id once committed.
     */
    public Uni<UUID> create(CreateVideoInput input, Caller caller) {
        VideoAccess.requireUploader(caller);
        String title = VideoInputRules.requireTitle(input.title());
        String description = VideoInputRules.requireDescription(input.description());
        String category = VideoInputRules.requireCategory(input.category());
        List<String> tags = VideoInputRules.requireTags(input.tags());
        String words = input.slug() != null ? Slugs.requireWords(input.slug()) : Slugs.fromTitle(title);
        Visibility visibility = input.visibility() == null ? Visibility.PUBLIC : input.visibility();
        UUID id = UUID.randomUUID();
        Instant createdAt = Timestamps.now();
        Supplier<Video> fresh = () -> {
            Video video = new Video();
            video.id = id;
            video.title = title;
            video.description = description;
            video.category = category;
            video.tags = new ArrayList<>(tags);
            video.visibility = visibility;
            video.owner = caller.name();
            video.ownerIssuer = caller.id().issuer();
            video.ownerSubject = caller.id().subject();
            video.status = VideoStatus.AWAITING_UPLOAD;
            video.createdAt = createdAt;
            video.updatedAt = createdAt;
            video.slug = Slugs.withRandomPart(words);
            return video;
        };
        return insert(fresh, 1);
    }

    /** One insert in its own transaction: a unique violation spoils the session, so a retry needs a new one. */
    private Uni<UUID> insert(Supplier<Video> fresh, int attempt) {
        return Panache.withTransaction(() -> {
                    Video video = fresh.get();
                    return video.persistAndFlush().replaceWith(video.id);
                })
                .onFailure(failure -> SlugConflicts.isSlugTaken(failure) && attempt < SlugConflicts.MAX_ATTEMPTS)
                .recoverWithUni(() -> insert(fresh, attempt + 1));
    }

    /**
     * Changes what the owner says of a video. {@code expectedVersion} is the version the caller last read: if the
     * video changed since, nothing is written and the answer is {@code CONFLICT}. Making a video {@code PRIVATE}
     * revokes its media from caches ({@code VideoMediaRevoked}, in the same transaction). Returns its id once
     * committed.
     */
    public Uni<UUID> update(UUID id, long expectedVersion, UpdateVideoInput input, Caller caller) {
        VideoAccess.requireSignedIn(caller);
        String title = input.title() == null ? null : VideoInputRules.requireTitle(input.title());
        String description = input.description() == null ? null : VideoInputRules.requireDescription(input.description());
        String category = input.category() == null ? null : VideoInputRules.requireCategory(input.category());
        String words = input.slug() == null ? null : Slugs.requireWords(input.slug());
        List<String> tags = input.tags() == null ? null : VideoInputRules.requireTags(input.tags());
        return update(id, expectedVersion, input, caller, title, description, category, words, tags, 1);
    }

    private Uni<UUID> update(UUID id, long expectedVersion, UpdateVideoInput input, Caller caller, String title,
            String description, String category, String words, List<String> tags, int attempt) {
        return transactions.commit(() -> editable.load(id, caller).chain(video -> {
                    if (video.version != expectedVersion) {
                        throw new ConflictException("Video " + id + " is at version " + video.version
                                + ", not " + expectedVersion + ": read it again and reapply the change");
                    }
                    Instant now = Timestamps.now();
                    boolean madePrivate = input.visibility() == Visibility.PRIVATE && video.visibility != Visibility.PRIVATE;
                    video.title = title == null ? video.title : title;
                    video.description = description == null ? video.description : description;
                    video.category = category == null ? video.category : category;
                    video.slug = words == null ? video.slug : Slugs.withRandomPart(words);
                    video.tags = tags == null ? video.tags : new ArrayList<>(tags);
                    video.visibility = input.visibility() == null ? video.visibility : input.visibility();
                    video.updatedAt = now;
                    Uni<Void> revoked = madePrivate
                            ? outbox.enqueue(VideoMediaRevoked.of(video.id, VideoMediaRevoked.Reason.MADE_PRIVATE,
                                    urls.mediaPrefix(video.id), now))
                            : Uni.createFrom().voidItem();
                    return revoked.chain(() -> VideoChanges.announce(video.id))
                            .call(Panache::flush)
                            .replaceWith(video.id);
                }))
                .onFailure(failure -> SlugConflicts.isSlugTaken(failure) && attempt < SlugConflicts.MAX_ATTEMPTS)
                .recoverWithUni(() -> update(id, expectedVersion, input, caller, title, description, category, words,
                        tags, attempt + 1))
                .onFailure(OptimisticLocks::isStale).transform(stale -> OptimisticLocks.conflict(id));
    }

    /** What the access rules need to judge a request for the video's media; {@code null} when there is none. */
    @WithSession
    public Uni<AccessFacts> accessFacts(UUID id) {
        return Video.find("id", id).project(AccessRow.class).firstResult()
                .map(row -> row == null ? null : new AccessFacts(new UserId(row.ownerIssuer(), row.ownerSubject()),
                        row.visibility(), row.status() == VideoStatus.READY));
    }

    /** The columns {@link #accessFacts} reads. */
    public record AccessRow(String ownerIssuer, String ownerSubject, Visibility visibility, VideoStatus status) {
    }

    /** Whether a video's source is stored at {@code path}. Inside a session. */
    public Uni<Boolean> isSource(String path) {
        return Video.count("sourcePath", path).map(count -> count > 0);
    }

    /** Refuses early, before a byte of a body is read, an upload the caller may not make. Inside a session. */
    public Uni<Video> requireUploadable(UUID id, Caller caller) {
        return editable.load(id, caller);
    }

    /**
     * Records a newly stored source and queues its transcode, in the caller's transaction: the new job and its
     * {@code TranscodeRequested} (with the cancel of a job it supersedes), within the owner's quotas, and the removal
     * of the source it replaces.
     */
    public Uni<SourceAccepted> acceptSource(UUID id, StoredSource source, Caller caller) {
        return editable.load(id, caller).chain(video -> {
            String replaced = video.sourcePath;
            video.sourcePath = source.path();
            video.sourceSizeBytes = source.sizeBytes();
            video.sourceSha256 = source.sha256();
            return jobs.start(video, source.sizeBytes(), caller, Timestamps.now())
                    .chain(() -> FileDeletions.record(replaced == null ? List.of() : List.of(replaced)))
                    .map(ignored -> new SourceAccepted(video.id, video.status, video.jobId));
        });
    }

    /** What taking in a source changed: the new job. */
    public record SourceAccepted(UUID videoId, VideoStatus status, UUID jobId) {
    }
}
