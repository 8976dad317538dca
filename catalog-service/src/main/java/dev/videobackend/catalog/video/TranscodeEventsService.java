package dev.videobackend.catalog.video;

import dev.videobackend.catalog.events.MalformedEventException;
import dev.videobackend.catalog.events.TranscodeCompleted;
import dev.videobackend.catalog.events.TranscodeFailed;
import dev.videobackend.catalog.events.TranscodeProgress;
import dev.videobackend.catalog.events.TranscoderEvent;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * Applies what the transcoder reports to the video it concerns. Events of a deleted video or of a job that a
 * newer upload superseded are dropped; progress never moves backwards; a repeated final event changes nothing.
 */
@ApplicationScoped
public class TranscodeEventsService {

    private static final Logger LOG = Logger.getLogger(TranscodeEventsService.class);

    @WithTransaction
    public Uni<Void> apply(TranscoderEvent event) {
        return Video.<Video>findById(event.videoId()).chain(video -> {
            if (video == null) {
                LOG.infof("Dropped %s %s: video %s does not exist", event.type(), event.eventId(), event.videoId());
                return Uni.createFrom().voidItem();
            }
            if (!event.jobId().equals(video.jobId)) {
                LOG.infof("Dropped %s %s: job %s is not the current job %s of video %s", event.type(),
                        event.eventId(), event.jobId(), video.jobId, video.id);
                return Uni.createFrom().voidItem();
            }
            if (video.status == VideoStatus.READY || video.status == VideoStatus.FAILED) {
                LOG.infof("Dropped %s %s: job %s of video %s already ended %s", event.type(), event.eventId(),
                        event.jobId(), video.id, video.status);
                return Uni.createFrom().voidItem();
            }
            if (event instanceof TranscodeProgress progress) {
                applyProgress(video, progress);
                return Uni.createFrom().voidItem();
            }
            if (event instanceof TranscodeCompleted completed) {
                return applyCompleted(video, completed);
            }
            applyFailed(video, (TranscodeFailed) event);
            return Uni.createFrom().voidItem();
        });
    }

    private static void applyProgress(Video video, TranscodeProgress progress) {
        if (video.progressUpdatedAt != null && progress.occurredAt().isBefore(video.progressUpdatedAt)) {
            LOG.debugf("Dropped progress %s of video %s: older than the last one", progress.eventId(), video.id);
            return;
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
        video.progressUpdatedAt = progress.occurredAt();
        video.updatedAt = Timestamps.now();
    }

    private static Uni<Void> applyCompleted(Video video, TranscodeCompleted completed) {
        List<Rendition> renditions = completed.renditions().stream()
                .map(reported -> rendition(video, completed.jobId(), reported))
                .toList();
        if (renditions.isEmpty()) {
            throw new MalformedEventException("TranscodeCompleted " + completed.eventId() + " lists no rendition");
        }
        video.moveTo(VideoStatus.READY);
        TranscodeCompleted.Source source = completed.source();
        if (source != null) {
            video.sourceContainer = source.container();
            video.sourceVideoCodec = source.videoCodec();
            video.sourceAudioCodec = source.audioCodec();
            video.sourceWidth = source.width();
            video.sourceHeight = source.height();
            video.sourceDurationSeconds = source.durationSeconds();
            video.sourceFrameRate = source.frameRate();
        }
        video.progressPercent = 100.0;
        video.progressEtaSeconds = 0.0;
        video.progressRenditionsDone = renditions.size();
        video.progressRenditionsTotal = renditions.size();
        video.progressUpdatedAt = completed.occurredAt();
        video.updatedAt = Timestamps.now();
        return Rendition.delete("video.id", video.id)
                .chain(() -> Rendition.persist(renditions))
                .replaceWithVoid();
    }

    private static Rendition rendition(Video video, UUID jobId, TranscodeCompleted.Rendition reported) {
        String expectedPrefix = "renditions/" + video.id + "/" + jobId + "/";
        if (reported.path() == null || !reported.path().startsWith(expectedPrefix) || reported.path().contains("..")) {
            throw new MalformedEventException("Rendition path " + reported.path() + " is not under " + expectedPrefix);
        }
        Rendition rendition = new Rendition();
        rendition.id = UUID.randomUUID();
        rendition.video = video;
        rendition.jobId = jobId;
        rendition.height = reported.height();
        rendition.width = reported.width();
        rendition.videoCodec = reported.videoCodec();
        rendition.audioCodec = reported.audioCodec();
        rendition.bitrate = reported.bitrate();
        rendition.path = reported.path();
        rendition.mimeType = reported.mimeType();
        rendition.sizeBytes = reported.sizeBytes();
        rendition.durationSeconds = reported.durationSeconds();
        return rendition;
    }

    private static void applyFailed(Video video, TranscodeFailed failed) {
        video.moveTo(VideoStatus.FAILED);
        video.failureCode = failed.code();
        video.failureMessage = failed.message();
        video.updatedAt = Timestamps.now();
    }

    private static double clampPercent(double percent) {
        return Math.max(0, Math.min(100, percent));
    }
}
