package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.error.ValidationException;
import dev.videobackend.catalog.events.Outbox;
import dev.videobackend.catalog.events.TranscodeRequested;
import dev.videobackend.catalog.media.StoredSource;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Creating videos, reading them, and taking in their sources. */
@ApplicationScoped
public class VideoService {

    static final int MAX_TITLE = 200;
    static final int MAX_DESCRIPTION = 5000;
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final String WITH_RENDITIONS = "from Video v left join fetch v.renditions where v.id = ?1";

    private final Outbox outbox;
    private final VideoViews views;

    VideoService(Outbox outbox, VideoViews views) {
        this.outbox = outbox;
        this.views = views;
    }

    @WithTransaction
    public Uni<VideoView> create(CreateVideoInput input) {
        Video video = new Video();
        video.id = UUID.randomUUID();
        video.title = requireTitle(input.title());
        video.description = requireDescription(input.description());
        video.category = requireCategory(input.category());
        video.status = VideoStatus.AWAITING_UPLOAD;
        video.createdAt = Timestamps.now();
        video.updatedAt = video.createdAt;
        return video.<Video>persist().map(views::of);
    }

    /** The video with its renditions, or {@code null}. */
    @WithSession
    public Uni<VideoView> find(UUID id) {
        // list(), not firstResult(): a row limit on a fetch join would be applied in memory.
        return Video.<Video>find(WITH_RENDITIONS, id).list()
                .map(videos -> videos.isEmpty() ? null : views.of(videos.get(0)));
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

    private static String requireTitle(String title) {
        String stripped = title == null ? "" : title.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_TITLE) {
            throw new ValidationException("title must have 1 to " + MAX_TITLE + " characters");
        }
        return stripped;
    }

    private static String requireDescription(String description) {
        String stripped = description == null ? "" : description.strip();
        if (stripped.length() > MAX_DESCRIPTION) {
            throw new ValidationException("description must have at most " + MAX_DESCRIPTION + " characters");
        }
        return stripped;
    }

    private static String requireCategory(String category) {
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
