package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.EventJson;
import dev.videobackend.transcoder.events.TranscodeCompleted;
import dev.videobackend.transcoder.events.TranscodeRequested;
import dev.videobackend.transcoder.transcode.LadderTranscoder;
import dev.videobackend.transcoder.transcode.SourceInfo;
import dev.videobackend.transcoder.transcode.Storyboard;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Builds the {@code TranscodeCompleted} of a job from what the transcoder wrote into its staging directory, with
 * every path as it will be once the directory is published: relative to the media root, under the job directory.
 */
final class CompletionEvent {

    private static final String HLS = "application/vnd.apple.mpegurl";
    private static final String MP4 = "video/mp4";
    private static final String JPEG = "image/jpeg";
    private static final String WEBVTT = "text/vtt";
    private static final String H264 = "h264";
    private static final String AV1 = "av1";
    private static final String AAC = "aac";
    private static final String AAC_LC_CODECS = "mp4a.40.2";

    private final Path staging;
    private final Path published;

    /**
     * @param staging where the transcoder wrote the files
     * @param published the job directory relative to the media root, e.g. {@code renditions/{videoId}/{jobId}}
     */
    CompletionEvent(Path staging, Path published) {
        this.staging = staging;
        this.published = published;
    }

    TranscodeCompleted build(TranscodeRequested request, LadderTranscoder.Result result, double elapsedSeconds,
            Integer attempt) {
        LadderTranscoder.Audio audio = result.audio();
        LadderTranscoder.Progressive progressive = result.progressive();
        List<TranscodeCompleted.Rendition> renditions = renditions(result.renditions(), H264);
        List<TranscodeCompleted.Rendition> av1Renditions = renditions(result.av1Renditions(), AV1);
        return new TranscodeCompleted(UUID.randomUUID(), TranscodeCompleted.TYPE, EventJson.SCHEMA_VERSION,
                request.videoId(), request.jobId(), Instant.now(),
                source(result.source()),
                path(result.masterPlaylist()),
                renditions,
                audio == null ? null : new TranscodeCompleted.Audio(AAC, AAC_LC_CODECS, audio.channels(),
                        audio.sampleRate(), audio.averageBitrate(), path(audio.playlist()), HLS, audio.sizeBytes(),
                        round(audio.durationSeconds())),
                new TranscodeCompleted.Poster(path(result.poster().file()), JPEG, result.poster().width(),
                        result.poster().height()),
                new TranscodeCompleted.Progressive(path(progressive.file()), MP4, progressive.width(),
                        progressive.height(), H264, progressive.hasAudio() ? AAC : null, progressive.bitrate(),
                        progressive.sizeBytes(), round(progressive.durationSeconds())),
                storyboard(result.storyboard()),
                attempt,
                round(elapsedSeconds),
                av1Renditions.isEmpty() ? null : av1Renditions);
    }

    private List<TranscodeCompleted.Rendition> renditions(List<LadderTranscoder.Rendition> written,
            String videoCodec) {
        return written.stream()
                .map(rendition -> new TranscodeCompleted.Rendition(
                        rendition.rung().height(),
                        rendition.rung().width(),
                        videoCodec,
                        rendition.codecs(),
                        round(rendition.frameRate()),
                        rendition.peakBitrate(),
                        rendition.averageBitrate(),
                        path(rendition.playlist()),
                        HLS,
                        rendition.sizeBytes(),
                        round(rendition.durationSeconds())))
                .toList();
    }

    private static TranscodeCompleted.Source source(SourceInfo source) {
        return new TranscodeCompleted.Source(source.container(), round(source.durationSeconds()), source.width(),
                source.height(), round(source.frameRate()), source.videoCodec(), source.audioCodec(),
                source.rotation(), source.pixelFormat(), source.interlaced(), source.variableFrameRate(),
                source.audioChannelLayout());
    }

    private TranscodeCompleted.Storyboard storyboard(Storyboard storyboard) {
        if (storyboard == null) {
            return null;
        }
        return new TranscodeCompleted.Storyboard(path(storyboard.vtt()), WEBVTT, round(storyboard.intervalSeconds()),
                storyboard.tileWidth(), storyboard.tileHeight(), storyboard.columns(), storyboard.rows(),
                storyboard.thumbnails(), storyboard.sprites().stream()
                        .map(sprite -> new TranscodeCompleted.Sprite(path(sprite), JPEG, storyboard.sheetWidth(),
                                storyboard.sheetHeight()))
                        .toList());
    }

    /** Where {@code file}, written under the staging directory, lies once published. */
    private String path(Path file) {
        return published.resolve(staging.relativize(file)).toString();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
