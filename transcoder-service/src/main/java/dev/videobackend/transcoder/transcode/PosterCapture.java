package dev.videobackend.transcoder.transcode;

import dev.videobackend.transcoder.transcode.LadderTranscoder.Poster;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/**
 * The poster JPEG, from the filter graph's two poster outputs ({@link VideoFilters}): the picture at the poster time,
 * else, should the source end before it, the first picture, which is kept until then. Owns both frames and the
 * JPEG's packet.
 */
final class PosterCapture implements AutoCloseable {

    private final Path file;
    private final VideoFilters filters;
    private final AVFrame picture;
    private final AVFrame fallback;
    private final AVPacket jpegPacket;
    private boolean hasFallback;
    private Poster poster;

    PosterCapture(Path file, VideoFilters filters) {
        this.file = file;
        this.filters = filters;
        try {
            picture = Ffmpeg.allocated(av_frame_alloc(), "a poster frame");
            fallback = Ffmpeg.allocated(av_frame_alloc(), "a poster frame");
            jpegPacket = Ffmpeg.allocated(av_packet_alloc(), "the poster's packet");
        } catch (RuntimeException e) {
            // What was allocated; FFmpeg's free functions take NULL for the rest.
            close();
            throw e;
        }
    }

    /** Takes what the poster outputs hold, without running the graph further for them. */
    void take(FilterGraph graph) {
        if (graph.take(filters.posterOutput(), picture)) {
            write(picture);
            av_frame_unref(picture);
        }
        if (!hasFallback && graph.take(filters.fallbackPosterOutput(), fallback)) {
            hasFallback = true;
        }
    }

    /** The poster written, from the fallback picture if the source ended before the poster time; else {@code null}. */
    Poster finish() {
        if (poster == null && hasFallback) {
            write(fallback);
        }
        return poster;
    }

    private void write(AVFrame frame) {
        if (poster != null) {
            return;
        }
        try (Encoder jpeg = Encoder.jpeg(frame.width(), frame.height())) {
            jpeg.send(frame);
            jpeg.send(null);
            if (!jpeg.receive(jpegPacket)) {
                throw new TranscodeFailure(FailureCode.INTERNAL, "The JPEG encoder gave no poster");
            }
            byte[] bytes = new byte[jpegPacket.size()];
            jpegPacket.data().get(bytes);
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        } finally {
            av_packet_unref(jpegPacket);
        }
        poster = new Poster(file, frame.width(), frame.height());
    }

    @Override
    public void close() {
        av_frame_free(picture);
        av_frame_free(fallback);
        av_packet_free(jpegPacket);
    }
}
