package dev.videobackend.catalog.video;

import dev.videobackend.catalog.events.TranscodeCompleted;
import dev.videobackend.catalog.events.TranscodeFailed;
import dev.videobackend.catalog.events.TranscodeProgress;
import dev.videobackend.catalog.events.TranscoderEvent;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.catalog.transaction.Transactions;
import dev.videobackend.catalog.media.MediaStorage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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

    private final Transactions transactions;
    private final UploaderQuotas quotas;
    private final Counter duplicates;

    TranscodeEventsService(Transactions transactions, UploaderQuotas quotas, MeterRegistry registry) {
        this.transactions = transactions;
        this.quotas = quotas;
        this.duplicates = Counter.builder("catalog.inbox.duplicates")
                .description("Transcoder events ignored because the inbox had them already").register(registry);
    }

    /** What applying an event left to do: job directories nothing references any more. */
    private record Outcome(List<UUID> orphanedJobs) {
        static final Outcome DONE = new Outcome(List.of());
    }

    /** Applies the event; the removal of the outputs it orphans is recorded in the same transaction. */
    public Uni<Void> apply(TranscoderEvent event) {
        return transactions.commit(() -> applyInTransaction(event).call(outcome -> recordRemovals(event, outcome)))
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
                    duplicates.increment();
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
            if (!video.reportProgress(progress, Timestamps.now())) {
                LOG.debugf("Dropped progress %s of video %s: older than the last one", progress.eventId(), video.id);
                return Uni.createFrom().item(Outcome.DONE);
            }
            applied = Uni.createFrom().item(Outcome.DONE);
        } else if (event instanceof TranscodeCompleted completed) {
            applied = applyCompleted(video, completed)
                    .call(() -> quotas.chargeDuration(video.ownerId(), completed.source().durationSeconds()));
        } else {
            video.fail((TranscodeFailed) event, Timestamps.now());
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

    /** Replaces the renditions; the jobs whose output they were are orphaned once this commits. */
    private static Uni<Outcome> applyCompleted(Video video, TranscodeCompleted completed) {
        JobOutput.requireInsideJobDirectory(video.id, completed);
        List<Rendition> renditions = completed.allRenditions().stream()
                .map(reported -> Rendition.of(video, completed.jobId(), reported))
                .toList();
        video.publish(completed, Timestamps.now());
        return Rendition.<Rendition>list("video.id = ?1 and jobId <> ?2", video.id, completed.jobId())
                .chain(previous -> Rendition.delete("video.id", video.id)
                        .chain(() -> Rendition.persist(renditions))
                        .replaceWith(new Outcome(previous.stream().map(rendition -> rendition.jobId).distinct().toList())));
    }
}
