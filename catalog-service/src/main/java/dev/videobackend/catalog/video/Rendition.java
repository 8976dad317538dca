package dev.videobackend.catalog.video;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.util.UUID;

/** One playable encoding of a video, as the transcoder measured it. */
@Entity
@Table(name = "rendition")
public class Rendition extends PanacheEntityBase {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "video_id")
    public Video video;

    public UUID jobId;
    public int height;
    public int width;
    public String videoCodec;
    public String audioCodec;
    /** Bits per second, measured from the written file. */
    public long bitrate;
    /** Relative to the shared media root. */
    public String path;
    public String mimeType;
    public long sizeBytes;
    public double durationSeconds;
}
