package dev.videobackend.catalog.video;

import dev.videobackend.catalog.events.MalformedEventException;
import dev.videobackend.catalog.events.TranscodeCompleted;
import dev.videobackend.catalog.events.TranscodeFailed;
import dev.videobackend.catalog.events.TranscodeProgress;
import dev.videobackend.catalog.events.TranscoderEvent;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.catalog.media.MediaStorage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * Applies what the transcoder reports to the video it concerns (docs/events.md, "How the catalog applies
 * transcoder events"). Each event id is recorded in the inbox in the same transaction, so a redelivery changes
 * nothing; events of a deleted video or of a job that is not current are dropped; progress never moves backwards.
 */
@ApplicationScoped
public class TranscodeEventsService {

    private static final Logger LOG = Logger.getLogger(TranscodeEventsService.class);

    private final FileDeletions fileDeletions;

    TranscodeEventsService(FileDeletions fileDeletions) {
        this.fileDeletions = fileDeletions;
    }

    /** What applying an event left to do: job directories nothing references any more. */
    private record Outcome(List<UUID> orphanedJobs) {
        static final Outcome DONE = new Outcome(List.of());
    }

    /** Applies the event; the removal of the outputs it orphans is recorded in the same transaction. */
    public Uni<Void> apply(TranscoderEvent event) {
        return Panache.withTransaction(() -> applyInTransaction(event).call(outcome -> recordRemovals(event, outcome)))
                .invoke(outcome -> {
                    if (!outcome.orphanedJobs().isEmpty()) {
                        fileDeletions.sweepSoon();
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<?> recordRemovals(TranscoderEvent event, Outcome outcome) {
        if (outcome.orphanedJobs().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("Removing the output of jobs %s of video %s: nothing references it", outcome.orphanedJobs(),
                event.videoId());
        return FileDeletions.record(outcome.orphanedJobs().stream()
                .map(job -> MediaStorage.jobDirectory(event.videoId(), job)).toList());
    }

    private Uni<Outcome> applyInTransaction(TranscoderEvent event) {
        return Video.<Video>findById(event.videoId()).chain(video -> {
            if (video == null) {
                LOG.infof("Dropped %s %s: video %s does not exist", event.type(), event.eventId(), event.videoId());
                return Uni.createFrom().item(droppedOutcome(event));
            }
            return InboxEvent.<InboxEvent>findById(event.eventId()).chain(seen -> {
                if (seen != null) {
                    LOG.debugf("Ignored %s %s: already handled", event.type(), event.eventId());
                    return Uni.createFrom().item(Outcome.DONE);
                }
                return record(event).chain(() -> applyTo(video, event));
            });
        });
    }

    private static Uni<Void> record(TranscoderEvent event) {
        InboxEvent handled = new InboxEvent();
        handled.eventId = event.eventId();
        handled.videoId = event.videoId();
        handled.eventType = event.type();
        handled.appliedAt = Timestamps.now();
        return handled.persist().replaceWithVoid();
    }

    private Uni<Outcome> applyTo(Video video, TranscoderEvent event) {
        if (!event.jobId().equals(video.jobId)) {
            LOG.infof("Dropped %s %s: job %s is not the current job %s of video %s", event.type(),
                    event.eventId(), event.jobId(), video.jobId, video.id);
            return droppedUnlessServed(video, event);
        }
        if (video.status == VideoStatus.READY || video.status == VideoStatus.FAILED) {
            LOG.infof("Dropped %s %s: job %s of video %s already ended %s", event.type(), event.eventId(),
                    event.jobId(), video.id, video.status);
            return droppedUnlessServed(video, event);
        }
        Uni<Outcome> applied;
        if (event instanceof TranscodeProgress progress) {
            if (!applyProgress(video, progress)) {
                return Uni.createFrom().item(Outcome.DONE);
            }
            applied = Uni.createFrom().item(Outcome.DONE);
        } else if (event instanceof TranscodeCompleted completed) {
            applied = applyCompleted(video, completed);
        } else {
            applyFailed(video, (TranscodeFailed) event);
            applied = Uni.createFrom().item(Outcome.DONE);
        }
        return applied.call(() -> VideoChanges.announce(video.id));
    }

    /**
     * A dropped completion's output is deleted, unless the video serves it: it keeps serving its last completed job
     * until a newer one completes, and a completion it already applied may come again under another event id.
     */
    private static Uni<Outcome> droppedUnlessServed(Video video, TranscoderEvent event) {
        if (!(event instanceof TranscodeCompleted)) {
            return Uni.createFrom().item(Outcome.DONE);
        }
        return Rendition.count("video.id = ?1 and jobId = ?2", video.id, event.jobId())
                .map(served -> served > 0 ? Outcome.DONE : droppedOutcome(event));
    }

    /** A completion that is not applied has left a job directory that nothing will ever reference. */
    private static Outcome droppedOutcome(TranscoderEvent event) {
        return event instanceof TranscodeCompleted ? new Outcome(List.of(event.jobId())) : Outcome.DONE;
    }

    /** Returns false when the progress is older than what is already applied. */
    private static boolean applyProgress(Video video, TranscodeProgress progress) {
        if (video.progressUpdatedAt != null && progress.occurredAt().isBefore(video.progressUpdatedAt)) {
            LOG.debugf("Dropped progress %s of video %s: older than the last one", progress.eventId(), video.id);
            return false;
        }
        video.moveTo(VideoStatus.PROCESSING);
        video.progressStage = progress.stage();
        video.progressPercent = Math.max(clampPercent(progress.percent()),
                video.progressPercent == null ? 0 : video.progressPercent);
        video.progressFramesPerSecond = progress.framesPerSecond();
        video.progressSpeed = progress.speed();
        video.progressEtaSeconds = progress.etaSeconds();
        video.progressRenditionsDone = progress.renditionsDone();
        video.progressRenditionsTotal = progress.renditionsTotal();
        video.progressAttempt = progress.attempt();
        video.progressUpdatedAt = progress.occurredAt();
        video.updatedAt = Timestamps.now();
        return true;
    }

    /** Replaces the renditions; the jobs whose output they were are orphaned once this commits. */
    private static Uni<Outcome> applyCompleted(Video video, TranscodeCompleted completed) {
        String jobDirectory = "renditions/" + video.id + "/" + completed.jobId() + "/";
        List<Rendition> renditions = completed.renditions() == null ? List.of() : completed.renditions().stream()
                .map(reported -> rendition(video, completed.jobId(), jobDirectory, reported))
                .toList();
        if (renditions.isEmpty()) {
            throw new MalformedEventException("TranscodeCompleted " + completed.eventId() + " lists no rendition");
        }
        video.moveTo(VideoStatus.READY);
        applySource(video, completed.source());
        video.masterPlaylistPath = requireUnder(jobDirectory, completed.masterPlaylistPath());
        applyPoster(video, jobDirectory, completed);
        applyProgressive(video, jobDirectory, completed);
        applyAudio(video, jobDirectory, completed);
        video.progressPercent = 100.0;
        video.progressEtaSeconds = 0.0;
        video.progressRenditionsDone = renditions.size();
        video.progressRenditionsTotal = renditions.size();
        video.progressAttempt = completed.attempt();
        video.progressUpdatedAt = completed.occurredAt();
        video.updatedAt = Timestamps.now();
        return Rendition.<Rendition>list("video.id = ?1 and jobId <> ?2", video.id, completed.jobId())
                .chain(previous -> Rendition.delete("video.id", video.id)
                        .chain(() -> Rendition.persist(renditions))
                        .replaceWith(new Outcome(previous.stream().map(rendition -> rendition.jobId).distinct().toList())));
    }

    private static void applySource(Video video, TranscodeCompleted.Source source) {
        if (source == null) {
            return;
        }
        video.sourceContainer = source.container();
        video.sourceVideoCodec = source.videoCodec();
        video.sourceAudioCodec = source.audioCodec();
        video.sourceWidth = source.width();
        video.sourceHeight = source.height();
        video.sourceDurationSeconds = source.durationSeconds();
        video.sourceFrameRate = source.frameRate();
        video.sourceRotation = source.rotation();
        video.sourcePixelFormat = source.pixelFormat();
        video.sourceInterlaced = source.interlaced();
        video.sourceVariableFrameRate = source.variableFrameRate();
        video.sourceAudioChannelLayout = source.audioChannelLayout();
    }

    private static void applyPoster(Video video, String jobDirectory, TranscodeCompleted completed) {
        TranscodeCompleted.Poster poster = completed.poster();
        video.posterPath = poster == null ? null : requireUnder(jobDirectory, poster.path());
        video.posterWidth = poster == null ? null : poster.width();
        video.posterHeight = poster == null ? null : poster.height();
    }

    private static void applyProgressive(Video video, String jobDirectory, TranscodeCompleted completed) {
        TranscodeCompleted.Progressive progressive = completed.progressive();
        boolean present = progressive != null;
        video.progressivePath = present ? requireUnder(jobDirectory, progressive.path()) : null;
        video.progressiveWidth = present ? progressive.width() : null;
        video.progressiveHeight = present ? progressive.height() : null;
        video.progressiveVideoCodec = present ? progressive.videoCodec() : null;
        video.progressiveAudioCodec = present ? progressive.audioCodec() : null;
        video.progressiveBitrate = present ? progressive.bitrate() : null;
        video.progressiveSizeBytes = present ? progressive.sizeBytes() : null;
        video.progressiveDurationSeconds = present ? progressive.durationSeconds() : null;
    }

    private static void applyAudio(Video video, String jobDirectory, TranscodeCompleted completed) {
        TranscodeCompleted.Audio audio = completed.audio();
        boolean present = audio != null;
        video.audioPath = present ? requireUnder(jobDirectory, audio.path()) : null;
        video.audioCodec = present ? audio.codec() : null;
        video.audioCodecs = present ? audio.codecs() : null;
        video.audioChannels = present ? audio.channels() : null;
        video.audioSampleRate = present ? audio.sampleRate() : null;
        video.audioBitrate = present ? audio.bitrate() : null;
        video.audioSizeBytes = present ? audio.sizeBytes() : null;
        video.audioDurationSeconds = present ? audio.durationSeconds() : null;
    }

    private static Rendition rendition(Video video, UUID jobId, String jobDirectory,
            TranscodeCompleted.Rendition reported) {
        Rendition rendition = new Rendition();
        rendition.id = UUID.randomUUID();
        rendition.video = video;
        rendition.jobId = jobId;
        rendition.height = reported.height();
        rendition.width = reported.width();
        rendition.videoCodec = reported.videoCodec();
        rendition.codecs = reported.codecs();
        rendition.frameRate = reported.frameRate();
        rendition.bitrate = reported.bitrate();
        rendition.averageBitrate = reported.averageBitrate();
        rendition.path = requireUnder(jobDirectory, reported.path());
        rendition.mimeType = reported.mimeType();
        rendition.sizeBytes = reported.sizeBytes();
        rendition.durationSeconds = reported.durationSeconds();
        return rendition;
    }

    /** Only paths inside the job's own directory are accepted, so that no event can point the catalog elsewhere. */
    private static String requireUnder(String jobDirectory, String path) {
        if (path == null || !path.startsWith(jobDirectory) || path.contains("..") || path.contains("//")) {
            throw new MalformedEventException("Path " + path + " is not under " + jobDirectory);
        }
        return path;
    }

    private static void applyFailed(Video video, TranscodeFailed failed) {
        video.moveTo(VideoStatus.FAILED);
        video.failureCode = failed.code();
        video.failureMessage = failed.message();
        video.progressAttempt = failed.attempt();
        video.updatedAt = Timestamps.now();
    }

    private static double clampPercent(double percent) {
        return Math.max(0, Math.min(100, percent));
    }
}
