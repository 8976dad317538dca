package dev.videobackend.catalog.video;

import dev.videobackend.catalog.media.MediaUrls;
import jakarta.enterprise.context.ApplicationScoped;

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
                video.title,
                video.description,
                video.category,
                video.status,
                video.sourcePath == null ? null : new VideoView.Source(video.sourceSizeBytes, video.sourceSha256,
                        video.sourceContainer, video.sourceVideoCodec, video.sourceAudioCodec, video.sourceWidth,
                        video.sourceHeight, video.sourceDurationSeconds, video.sourceFrameRate),
                video.renditions.stream().map(this::of).toList(),
                video.progressStage == null ? null : new VideoView.Progress(video.progressStage, video.progressPercent,
                        video.progressFramesPerSecond, video.progressSpeed, video.progressEtaSeconds,
                        video.progressRenditionsDone, video.progressRenditionsTotal, video.progressUpdatedAt),
                video.failureCode == null ? null : new VideoView.Failure(video.failureCode, video.failureMessage),
                urls.upload(video.id),
                video.createdAt,
                video.updatedAt,
                video.version);
    }

    private VideoView.RenditionView of(Rendition rendition) {
        return new VideoView.RenditionView(rendition.height, rendition.width, rendition.videoCodec,
                rendition.audioCodec, rendition.bitrate, rendition.mimeType, rendition.sizeBytes,
                rendition.durationSeconds, urls.rendition(rendition.path));
    }
}
