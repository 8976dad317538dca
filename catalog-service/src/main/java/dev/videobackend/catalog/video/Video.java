package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ConflictException;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

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

    public String title;
    public String description;
    public String category;

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

    public String failureCode;
    public String failureMessage;

    /** Read side only: renditions are replaced by bulk statements when a job completes. */
    @OneToMany(mappedBy = "video")
    @OrderBy("height DESC")
    public List<Rendition> renditions = new ArrayList<>();

    @Column(nullable = false, updatable = false)
    public Instant createdAt;
    public Instant updatedAt;

    @Version
    public long version;

    /** Applies a status change the state machine allows, and refuses any other. */
    public void moveTo(VideoStatus target) {
        if (!status.canMoveTo(target)) {
            throw new ConflictException("Video " + id + " cannot go from " + status + " to " + target);
        }
        status = target;
    }
}
