package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ConflictException;
import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.error.ValidationException;
import dev.videobackend.catalog.events.Outbox;
import dev.videobackend.catalog.events.TranscodeRequested;
import dev.videobackend.catalog.media.StoredSource;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Creating and changing videos, and taking in their sources: the write side (the read side is {@code video.query}). */
@ApplicationScoped
public class VideoService {

    static final int MAX_TITLE = 200;
    static final int MAX_DESCRIPTION = 5000;
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern TAG = Pattern.compile("[a-z0-9_-]{1,40}");
    static final int MAX_TAGS = 20;

    private final Outbox outbox;

    VideoService(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Creates a video owned by the caller; a derived slug that is taken gets the next free -2, -3... suffix. Returns
     * its id once committed.
     */
    public Uni<UUID> create(CreateVideoInput input, Caller caller) {
        VideoAccess.requireUploader(caller);
        String title = requireTitle(input.title());
        String description = requireDescription(input.description());
        String category = requireCategory(input.category());
        List<String> tags = requireTags(input.tags());
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
            video.status = VideoStatus.AWAITING_UPLOAD;
            video.createdAt = createdAt;
            video.updatedAt = createdAt;
            return video;
        };
        if (input.slug() != null) {
            String slug = Slugs.require(input.slug());
            return insert(fresh, slug).onFailure(SlugConflicts::isSlugTaken)
                    .transform(taken -> SlugConflicts.taken(slug));
        }
        return insertWithDerivedSlug(fresh, Slugs.fromTitle(title), 1);
    }

    private Uni<UUID> insertWithDerivedSlug(Supplier<Video> fresh, String base, int attempt) {
        Uni<String> candidate = attempt == 1 ? Uni.createFrom().item(base) : SlugConflicts.nextFree(base);
        return candidate.chain(slug -> insert(fresh, slug))
                .onFailure(failure -> SlugConflicts.isSlugTaken(failure) && attempt < SlugConflicts.MAX_ATTEMPTS)
                .recoverWithUni(() -> insertWithDerivedSlug(fresh, base, attempt + 1));
    }

    /** One insert in its own transaction: a unique violation spoils the session, so a retry needs a new one. */
    private Uni<UUID> insert(Supplier<Video> fresh, String slug) {
        return Panache.withTransaction(() -> {
            Video video = fresh.get();
            video.slug = slug;
            return video.persistAndFlush().replaceWith(video.id);
        });
    }

    /**
     * Changes what the owner says of a video. {@code expectedVersion} is the version the caller last read: if the
     * video changed since, nothing is written and the answer is {@code CONFLICT}. Returns its id once committed.
     */
    public Uni<UUID> update(UUID id, long expectedVersion, UpdateVideoInput input, Caller caller) {
        String title = input.title() == null ? null : requireTitle(input.title());
        String description = input.description() == null ? null : requireDescription(input.description());
        String category = input.category() == null ? null : requireCategory(input.category());
        String slug = input.slug() == null ? null : Slugs.require(input.slug());
        List<String> tags = input.tags() == null ? null : requireTags(input.tags());
        return Panache.withTransaction(() -> Video.<Video>findById(id).chain(video -> {
                    requireEditable(video, id, caller);
                    if (video.version != expectedVersion) {
                        throw new ConflictException("Video " + id + " is at version " + video.version
                                + ", not " + expectedVersion + ": read it again and reapply the change");
                    }
                    video.title = title == null ? video.title : title;
                    video.description = description == null ? video.description : description;
                    video.category = category == null ? video.category : category;
                    video.slug = slug == null ? video.slug : slug;
                    video.tags = tags == null ? video.tags : new ArrayList<>(tags);
                    video.visibility = input.visibility() == null ? video.visibility : input.visibility();
                    video.updatedAt = Timestamps.now();
                    return VideoChanges.announce(video.id)
                            .call(Panache::flush)
                            .replaceWith(video.id);
                }))
                .onFailure(SlugConflicts::isSlugTaken).transform(taken -> SlugConflicts.taken(slug))
                .onFailure(OptimisticLocks::isStale).transform(stale -> OptimisticLocks.conflict(id));
    }

    /**
     * The video if the caller may change it. A video the caller may not even see is reported missing, so that
     * its existence does not leak; one the caller sees but does not own is {@code FORBIDDEN}.
     */
    static Video requireEditable(Video video, UUID id, Caller caller) {
        if (video == null) {
            throw notFound(id);
        }
        if (!caller.anonymous() && !VideoAccess.canView(video, caller)) {
            throw notFound(id);
        }
        VideoAccess.requireEditable(video, caller);
        return video;
    }

    @WithSession
    public Uni<Void> requireExists(UUID id) {
        return Video.count("id", id).invoke(count -> {
            if (count == 0) {
                throw notFound(id);
            }
        }).replaceWithVoid();
    }

    /**
     * Records a newly stored source and queues its transcode: the new job and its {@code TranscodeRequested}
     * event are committed together, through the outbox.
     */
    @WithTransaction
    public Uni<SourceAccepted> acceptSource(UUID id, StoredSource source) {
        return Video.<Video>findById(id).chain(video -> {
            if (video == null) {
                throw notFound(id);
            }
            String replaced = video.sourcePath;
            video.sourcePath = source.path();
            video.sourceSizeBytes = source.sizeBytes();
            video.sourceSha256 = source.sha256();
            return startJob(video, Timestamps.now())
                    .map(ignored -> new SourceAccepted(video.id, video.status, video.jobId, replaced));
        });
    }

    /**
     * Queues a new transcode job of the video's stored source: a new job id (events of earlier jobs become
     * stale), and its {@code TranscodeRequested} in the outbox, in the caller's transaction.
     */
    Uni<Void> startJob(Video video, Instant now) {
        video.moveTo(VideoStatus.QUEUED);
        video.jobId = UUID.randomUUID();
        video.transcodeAttempts++;
        clearProgress(video);
        video.failureCode = null;
        video.failureMessage = null;
        video.updatedAt = now;
        TranscodeRequested request = TranscodeRequested.of(video.id, video.jobId,
                new TranscodeRequested.Source(video.sourcePath, video.sourceSizeBytes, video.sourceSha256), now);
        return outbox.enqueue(request).chain(() -> VideoChanges.announce(video.id));
    }

    static void clearProgress(Video video) {
        video.progressStage = null;
        video.progressPercent = null;
        video.progressFramesPerSecond = null;
        video.progressSpeed = null;
        video.progressEtaSeconds = null;
        video.progressRenditionsDone = null;
        video.progressRenditionsTotal = null;
        video.progressUpdatedAt = null;
        video.progressAttempt = null;
    }

    static NotFoundException notFound(UUID id) {
        return new NotFoundException("No video " + id);
    }

    static String requireTitle(String title) {
        String stripped = title == null ? "" : title.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_TITLE) {
            throw new ValidationException("title must have 1 to " + MAX_TITLE + " characters");
        }
        return stripped;
    }

    static String requireDescription(String description) {
        String stripped = description == null ? "" : description.strip();
        if (stripped.length() > MAX_DESCRIPTION) {
            throw new ValidationException("description must have at most " + MAX_DESCRIPTION + " characters");
        }
        return stripped;
    }

    static List<String> requireTags(List<String> tags) {
        if (tags == null) {
            return new ArrayList<>();
        }
        if (tags.size() > MAX_TAGS) {
            throw new ValidationException("a video has at most " + MAX_TAGS + " tags");
        }
        List<String> normalized = new ArrayList<>();
        for (String tag : tags) {
            String lower = tag == null ? "" : tag.strip().toLowerCase(Locale.ROOT);
            if (!TAG.matcher(lower).matches()) {
                throw new ValidationException("tag '" + tag + "' must have 1 to 40 characters among letters, digits, '-' and '_'");
            }
            if (!normalized.contains(lower)) {
                normalized.add(lower);
            }
        }
        return normalized;
    }

    /** The category in the form it is stored in; refuses one that breaks the rule. */
    public static String requireCategory(String category) {
        String normalized = category == null ? "" : category.strip().toLowerCase(Locale.ROOT);
        if (!CATEGORY.matcher(normalized).matches()) {
            throw new ValidationException("category must have 1 to 64 characters among letters, digits, '-' and '_'");
        }
        return normalized;
    }

    /** What taking in a source changed: the new job, and the source file it replaced, to remove. */
    public record SourceAccepted(UUID videoId, VideoStatus status, UUID jobId, String replacedSourcePath) {
    }
}
