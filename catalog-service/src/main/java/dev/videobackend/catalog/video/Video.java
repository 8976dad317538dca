package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ConflictException;
import dev.videobackend.catalog.events.TranscodeCompleted;
import dev.videobackend.catalog.events.TranscodeFailed;
import dev.videobackend.catalog.events.TranscodeProgress;
import dev.videobackend.catalog.security.AccessFacts;
import dev.videobackend.catalog.security.UserId;
import dev.videobackend.catalog.security.Visibility;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A video of the catalog: what its owner said of it, its source, and what the transcoder made of it. */
@Entity
@Table(name = "video")
public class Video extends PanacheEntityBase {

    @Id
    public UUID id;

    /** URL name, unique; derived from the title unless the owner chose one. */
    public String slug;
    public String title;
    public String description;
    public String category;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> tags = new ArrayList<>();

    /** The principal name of the uploader who created it, as shown; ownership is {@link #ownerId()}. */
    public String owner;
    public String ownerIssuer;
    public String ownerSubject;

    @Enumerated(EnumType.STRING)
    public Visibility visibility;

    @Enumerated(EnumType.STRING)
    public VideoStatus status;

    public String sourcePath;
    public Long sourceSizeBytes;
    public String sourceSha256;
    public String sourceContainer;
    public String sourceVideoCodec;
    public String sourceAudioCodec;
    public Integer sourceWidth;
    public Integer sourceHeight;
    public Double sourceDurationSeconds;
    public Double sourceFrameRate;
    public Integer sourceRotation;
    public String sourcePixelFormat;
    public Boolean sourceInterlaced;
    public Boolean sourceVariableFrameRate;
    public String sourceAudioChannelLayout;

    /** What the current job published, relative to the media root; null until it completes. */
    public String masterPlaylistPath;
    public String posterPath;
    public Integer posterWidth;
    public Integer posterHeight;
    public String progressivePath;
    public Integer progressiveWidth;
    public Integer progressiveHeight;
    public String progressiveVideoCodec;
    public String progressiveAudioCodec;
    public Long progressiveBitrate;
    public Long progressiveSizeBytes;
    public Double progressiveDurationSeconds;
    /** The audio shared by every rung; null for a source without audio. */
    public String audioPath;
    public String audioCodec;
    public String audioCodecs;
    public Integer audioChannels;
    public Integer audioSampleRate;
    public Long audioBitrate;
    public Long audioSizeBytes;
    public Double audioDurationSeconds;
    /** The storyboard's WebVTT track and sprite sheets; null when the job made none. */
    public String storyboardPath;
    public Double storyboardIntervalSeconds;
    public Integer storyboardTileWidth;
    public Integer storyboardTileHeight;
    public Integer storyboardColumns;
    public Integer storyboardRows;
    public Integer storyboardThumbnails;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> storyboardSpritePaths;

    /** The job whose events count; events of earlier jobs are stale. */
    public UUID jobId;

    public String progressStage;
    public Double progressPercent;
    public Double progressFramesPerSecond;
    public Double progressSpeed;
    public Double progressEtaSeconds;
    public Integer progressRenditionsDone;
    public Integer progressRenditionsTotal;
    public Instant progressUpdatedAt;
    public Integer progressAttempt;

    /** Transcode jobs requested so far, by uploads and retranscodes. */
    public int transcodeAttempts;

    public String failureCode;
    public String failureMessage;

    @Column(nullable = false, updatable = false)
    public Instant createdAt;
    public Instant updatedAt;

    @Version
    public long version;

    public UserId ownerId() {
        return new UserId(ownerIssuer, ownerSubject);
    }

    /** What the access rules judge this video by. */
    public AccessFacts accessFacts() {
        return new AccessFacts(ownerId(), visibility, status == VideoStatus.READY);
    }

    /** Forgets the progress of the current job: a new job starts, or the current one ends without output. */
    void clearProgress() {
        progressStage = null;
        progressPercent = null;
        progressFramesPerSecond = null;
        progressSpeed = null;
        progressEtaSeconds = null;
        progressRenditionsDone = null;
        progressRenditionsTotal = null;
        progressUpdatedAt = null;
        progressAttempt = null;
    }

    /**
     * Applies the current job's progress, unless it is older than what is applied: returns false then. The
     * percentage never goes back (a restarted attempt starts again from 0).
     */
    boolean reportProgress(TranscodeProgress progress, Instant now) {
        if (progressUpdatedAt != null && progress.occurredAt().isBefore(progressUpdatedAt)) {
            return false;
        }
        moveTo(VideoStatus.PROCESSING);
        progressStage = progress.stage();
        progressPercent = Math.max(Math.max(0, Math.min(100, progress.percent())), progressPercent == null ? 0 : progressPercent);
        progressFramesPerSecond = progress.framesPerSecond();
        progressSpeed = progress.speed();
        progressEtaSeconds = progress.etaSeconds();
        progressRenditionsDone = progress.renditionsDone();
        progressRenditionsTotal = progress.renditionsTotal();
        progressAttempt = progress.attempt();
        progressUpdatedAt = progress.occurredAt();
        updatedAt = now;
        return true;
    }

    /** Takes the current job's published output and what the transcoder measured of the source: READY. */
    void publish(TranscodeCompleted completed, Instant now) {
        moveTo(VideoStatus.READY);
        TranscodeCompleted.Source source = completed.source();
        sourceContainer = source.container();
        sourceVideoCodec = source.videoCodec();
        sourceAudioCodec = source.audioCodec();
        sourceWidth = source.width();
        sourceHeight = source.height();
        sourceDurationSeconds = source.durationSeconds();
        sourceFrameRate = source.frameRate();
        sourceRotation = source.rotation();
        sourcePixelFormat = source.pixelFormat();
        sourceInterlaced = source.interlaced();
        sourceVariableFrameRate = source.variableFrameRate();
        sourceAudioChannelLayout = source.audioChannelLayout();
        masterPlaylistPath = completed.masterPlaylistPath();
        TranscodeCompleted.Poster poster = completed.poster();
        posterPath = poster == null ? null : poster.path();
        posterWidth = poster == null ? null : poster.width();
        posterHeight = poster == null ? null : poster.height();
        TranscodeCompleted.Progressive progressive = completed.progressive();
        progressivePath = progressive == null ? null : progressive.path();
        progressiveWidth = progressive == null ? null : progressive.width();
        progressiveHeight = progressive == null ? null : progressive.height();
        progressiveVideoCodec = progressive == null ? null : progressive.videoCodec();
        progressiveAudioCodec = progressive == null ? null : progressive.audioCodec();
        progressiveBitrate = progressive == null ? null : progressive.bitrate();
        progressiveSizeBytes = progressive == null ? null : progressive.sizeBytes();
        progressiveDurationSeconds = progressive == null ? null : progressive.durationSeconds();
        TranscodeCompleted.Audio audio = completed.audio();
        audioPath = audio == null ? null : audio.path();
        audioCodec = audio == null ? null : audio.codec();
        audioCodecs = audio == null ? null : audio.codecs();
        audioChannels = audio == null ? null : audio.channels();
        audioSampleRate = audio == null ? null : audio.sampleRate();
        audioBitrate = audio == null ? null : audio.bitrate();
        audioSizeBytes = audio == null ? null : audio.sizeBytes();
        audioDurationSeconds = audio == null ? null : audio.durationSeconds();
        TranscodeCompleted.Storyboard storyboard = completed.storyboard();
        storyboardPath = storyboard == null ? null : storyboard.path();
        storyboardIntervalSeconds = storyboard == null ? null : storyboard.intervalSeconds();
        storyboardTileWidth = storyboard == null ? null : storyboard.tileWidth();
        storyboardTileHeight = storyboard == null ? null : storyboard.tileHeight();
        storyboardColumns = storyboard == null ? null : storyboard.columns();
        storyboardRows = storyboard == null ? null : storyboard.rows();
        storyboardThumbnails = storyboard == null ? null : storyboard.thumbnails();
        storyboardSpritePaths = storyboard == null ? null
                : storyboard.sprites().stream().map(TranscodeCompleted.Sprite::path).toList();
        progressPercent = 100.0;
        progressEtaSeconds = 0.0;
        progressRenditionsDone = completed.allRenditions().size();
        progressRenditionsTotal = completed.allRenditions().size();
        progressAttempt = completed.attempt();
        progressUpdatedAt = completed.occurredAt();
        updatedAt = now;
    }

    /** The current job failed: FAILED, with the transcoder's code and message. */
    void fail(TranscodeFailed failed, Instant now) {
        moveTo(VideoStatus.FAILED);
        failureCode = failed.code();
        failureMessage = failed.message();
        progressAttempt = failed.attempt();
        updatedAt = now;
    }

    /** Whether a transcode job is queued or running. */
    boolean jobRunning() {
        return status == VideoStatus.QUEUED || status == VideoStatus.PROCESSING;
    }

    /** Applies a status change the state machine allows, and refuses any other. */
    public void moveTo(VideoStatus target) {
        if (!status.canMoveTo(target)) {
            throw new ConflictException("Video " + id + " cannot go from " + status + " to " + target);
        }
        status = target;
    }
}
