package dev.videobackend.catalog.video;

import dev.videobackend.catalog.media.MediaUrls;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Turns entities into API views; call it while the session that loaded them is open. */
@ApplicationScoped
public class VideoViews {

    private final MediaUrls urls;

    VideoViews(MediaUrls urls) {
        this.urls = urls;
    }

    public VideoView of(Video video) {
        return new VideoView(
                video.id.toString(),
                video.slug,
                video.title,
                video.description,
                video.category,
                List.copyOf(video.tags),
                video.owner,
                video.visibility,
                video.status,
                source(video),
                media(video),
                video.renditions.stream().map(this::of).toList(),
                video.progressStage == null ? null : new VideoView.Progress(video.progressStage, video.progressPercent,
                        video.progressFramesPerSecond, video.progressSpeed, video.progressEtaSeconds,
                        video.progressRenditionsDone, video.progressRenditionsTotal, video.progressAttempt,
                        video.progressUpdatedAt),
                video.failureCode == null ? null : new VideoView.Failure(video.failureCode, video.failureMessage),
                video.transcodeAttempts,
                urls.upload(video.id),
                video.createdAt,
                video.updatedAt,
                Math.toIntExact(video.version));
    }

    private static VideoView.Source source(Video video) {
        if (video.sourcePath == null) {
            return null;
        }
        return new VideoView.Source(video.sourceSizeBytes, video.sourceSha256, video.sourceContainer,
                video.sourceVideoCodec, video.sourceAudioCodec, video.sourceWidth, video.sourceHeight,
                video.sourceDurationSeconds, video.sourceFrameRate, video.sourceRotation, video.sourcePixelFormat,
                video.sourceInterlaced, video.sourceVariableFrameRate, video.sourceAudioChannelLayout);
    }

    private VideoView.MediaLinks media(Video video) {
        if (video.masterPlaylistPath == null) {
            return null;
        }
        return new VideoView.MediaLinks(
                urls.rendition(video.masterPlaylistPath),
                video.posterPath == null ? null
                        : new VideoView.Image(urls.rendition(video.posterPath), video.posterWidth, video.posterHeight),
                video.progressivePath == null ? null
                        : new VideoView.Progressive(urls.rendition(video.progressivePath), video.progressiveWidth,
                                video.progressiveHeight, video.progressiveVideoCodec, video.progressiveAudioCodec,
                                bitsPerSecond(video.progressiveBitrate), video.progressiveSizeBytes,
                                video.progressiveDurationSeconds),
                video.audioPath == null ? null
                        : new VideoView.Audio(urls.rendition(video.audioPath), video.audioCodec, video.audioCodecs,
                                video.audioChannels, video.audioSampleRate, bitsPerSecond(video.audioBitrate),
                                video.audioSizeBytes, video.audioDurationSeconds));
    }

    private VideoView.RenditionView of(Rendition rendition) {
        return new VideoView.RenditionView(rendition.height, rendition.width, rendition.videoCodec, rendition.codecs,
                rendition.frameRate, Math.toIntExact(rendition.bitrate), bitsPerSecond(rendition.averageBitrate),
                rendition.mimeType,
                rendition.sizeBytes, rendition.durationSeconds, urls.rendition(rendition.path));
    }

    /** Bit rates are stored as bigint but shown as Int: no rendition comes near 2^31 bits per second. */
    private static Integer bitsPerSecond(Long bitrate) {
        return bitrate == null ? null : Math.toIntExact(bitrate);
    }
}
