package dev.videobackend.catalog.video;

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

/** Creating videos, reading them, and taking in their sources. */
@ApplicationScoped
public class VideoService {

    static final int MAX_TITLE = 200;
    static final int MAX_DESCRIPTION = 5000;
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern TAG = Pattern.compile("[a-z0-9_-]{1,40}");
    static final int MAX_TAGS = 20;
    private static final String WITH_RENDITIONS_BY_ID = "from Video v left join fetch v.renditions where v.id = ?1";
    private static final String WITH_RENDITIONS_BY_SLUG = "from Video v left join fetch v.renditions where v.slug = ?1";

    private final Outbox outbox;
    private final VideoViews views;

    VideoService(Outbox outbox, VideoViews views) {
        this.outbox = outbox;
        this.views = views;
    }

    /** Creates a video owned by the caller; a derived slug that is taken gets the next free -2, -3... suffix. */
    public Uni<VideoView> create(CreateVideoInput input, Caller caller) {
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

    private Uni<VideoView> insertWithDerivedSlug(Supplier<Video> fresh, String base, int attempt) {
        Uni<String> candidate = attempt == 1 ? Uni.createFrom().item(base) : SlugConflicts.nextFree(base);
        return candidate.chain(slug -> insert(fresh, slug))
                .onFailure(failure -> SlugConflicts.isSlugTaken(failure) && attempt < SlugConflicts.MAX_ATTEMPTS)
                .recoverWithUni(() -> insertWithDerivedSlug(fresh, base, attempt + 1));
    }

    /** One insert in its own transaction: a unique violation spoils the session, so a retry needs a new one. */
    private Uni<VideoView> insert(Supplier<Video> fresh, String slug) {
        return Panache.withTransaction(() -> {
            Video video = fresh.get();
            video.slug = slug;
            return video.persistAndFlush().map(ignored -> views.of(video));
        });
    }

    /** The video with its renditions, or {@code null} when there is none the caller may see. */
    @WithSession
    public Uni<VideoView> find(UUID id, Caller caller) {
        return findWithRenditions(WITH_RENDITIONS_BY_ID, id).map(video -> visibleView(video, caller));
    }

    /** Like {@link #find}, by slug. */
    @WithSession
    public Uni<VideoView> findBySlug(String slug, Caller caller) {
        return findWithRenditions(WITH_RENDITIONS_BY_SLUG, slug).map(video -> visibleView(video, caller));
    }

    private static Uni<Video> findWithRenditions(String query, Object key) {
        // list(), not firstResult(): a row limit on a fetch join would be applied in memory.
        return Video.<Video>find(query, key).list().map(videos -> videos.isEmpty() ? null : videos.get(0));
    }

    private VideoView visibleView(Video video, Caller caller) {
        return video != null && VideoAccess.canView(video, caller) ? views.of(video) : null;
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
            Instant now = Timestamps.now();
            video.moveTo(VideoStatus.QUEUED);
            video.sourcePath = source.path();
            video.sourceSizeBytes = source.sizeBytes();
            video.sourceSha256 = source.sha256();
            video.jobId = UUID.randomUUID();
            clearProgress(video);
            video.failureCode = null;
            video.failureMessage = null;
            video.updatedAt = now;
            TranscodeRequested request = TranscodeRequested.of(video.id, video.jobId,
                    new TranscodeRequested.Source(source.path(), source.sizeBytes(), source.sha256()), now);
            return outbox.enqueue(request)
                    .map(ignored -> new SourceAccepted(video.id, video.status, video.jobId, replaced));
        });
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

    static String requireCategory(String category) {
        String normalized = category == null ? "" : category.strip().toLowerCase(Locale.ROOT);
        if (!CATEGORY.matcher(normalized).matches()) {
            throw new ValidationException("category must have 1 to 64 characters among letters, digits, '-' and '_'");
        }
        return normalized;
    }

    /** What taking in a source changed: the new job, and the source file it replaced, to delete after commit. */
    public record SourceAccepted(UUID videoId, VideoStatus status, UUID jobId, String replacedSourcePath) {
    }
}
