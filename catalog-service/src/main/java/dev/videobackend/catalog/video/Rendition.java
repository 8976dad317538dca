package dev.videobackend.catalog.video;

import dev.videobackend.catalog.events.TranscodeCompleted;
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
    /** Only on renditions from before HLS, which muxed their own audio; HLS rungs share the video's audio. */
    public String audioCodec;
    /** RFC 6381 codec string, as in the master playlist. */
    public String codecs;
    public Double frameRate;
    /** Peak bits per second of a segment, measured from the written output. */
    public long bitrate;
    public Long averageBitrate;
    /** The rung's HLS media playlist, relative to the shared media root. */
    public String path;
    public String mimeType;
    public long sizeBytes;
    public double durationSeconds;

    /** A rung as the transcoder reported it, its path already checked to be inside the job's directory. */
    static Rendition of(Video video, UUID jobId, TranscodeCompleted.Rendition reported) {
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
        rendition.path = reported.path();
        rendition.mimeType = reported.mimeType();
        rendition.sizeBytes = reported.sizeBytes();
        rendition.durationSeconds = reported.durationSeconds();
        return rendition;
    }
}
