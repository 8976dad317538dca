package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.List;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * The source's video on its way to the rungs: each packet decoded, each picture checked against the size limits and
 * filtered ({@link VideoFilters}), the filtered pictures handed to every rung's encoder thread in lockstep, the
 * poster's caught on the way. Measures the gaps between the decoded timestamps, as containers such as Matroska do
 * not tell a variable frame rate. Owns the frame it decodes into; the decoder, graph and rungs are the caller's.
 */
final class VideoTrack implements AutoCloseable {

    /** Frame gaps further apart than this (timestamp rounding aside) mean a variable frame rate. */
    private static final double VARIABLE_GAP_RATIO = 1.5;

    private final Decoder decoder;
    private final FilterGraph graph;
    private final SourceLimits limits;
    private final List<RungEncoder> rungs;
    private final PosterCapture poster;
    /** {@code null} without a storyboard. */
    private final StoryboardCapture storyboard;
    private final ProgressMeter progress;
    private final int streamIndex;
    private final double secondsPerTick;
    private final long start;
    private final AVFrame decoded = Ffmpeg.allocated(av_frame_alloc(), "a video frame");
    private long previousPts = AV_NOPTS_VALUE;
    private long shortestFrameGap = Long.MAX_VALUE;
    private long longestFrameGap;
    /** Filtered pictures, the same number on every rung. */
    private long pictures;

    VideoTrack(AVStream stream, Decoder decoder, FilterGraph graph, SourceLimits limits, List<RungEncoder> rungs,
            PosterCapture poster, StoryboardCapture storyboard, ProgressMeter progress) {
        this.decoder = decoder;
        this.graph = graph;
        this.limits = limits;
        this.rungs = rungs;
        this.poster = poster;
        this.storyboard = storyboard;
        this.progress = progress;
        this.streamIndex = stream.index();
        this.secondsPerTick = av_q2d(stream.time_base());
        this.start = stream.start_time() == AV_NOPTS_VALUE ? 0 : stream.start_time();
    }

    int streamIndex() {
        return streamIndex;
    }

    void send(AVPacket packet) {
        decoder.send(packet);
        // A picture over max_pixels is not decoded at all (damaged, to FFmpeg): its size is the decoder's once it
        // has read the new header.
        checkPicture(decoder.context().width(), decoder.context().height(), packet.pts());
        drainDecoder();
    }

    /** Drains the decoder and the graph, then tells every rung that no picture follows. */
    void flush() {
        decoder.send(null);
        drainDecoder();
        graph.push(null);
        pull();
        rungs.forEach(RungEncoder::endOfStream);
    }

    /** How many pictures each rung was given. */
    long pictures() {
        return pictures;
    }

    /** Whether the decoded timestamps showed uneven gaps. */
    boolean variableFrameRate() {
        return longestFrameGap > shortestFrameGap * VARIABLE_GAP_RATIO;
    }

    private void drainDecoder() {
        while (decoder.receive(decoded)) {
            checkPicture(decoded.width(), decoded.height(), decoded.pts());
            measureFrameGap(decoded.pts());
            graph.push(decoded);
            pull();
        }
    }

    /** The size limits hold for every picture, not only the first one the header describes. */
    private void checkPicture(int width, int height, long pts) {
        limits.checkPicture(width, height, pts == AV_NOPTS_VALUE ? 0 : (pts - start) * secondsPerTick);
    }

    private void measureFrameGap(long pts) {
        if (pts == AV_NOPTS_VALUE) {
            return;
        }
        if (previousPts != AV_NOPTS_VALUE && pts > previousPts) {
            shortestFrameGap = Math.min(shortestFrameGap, pts - previousPts);
            longestFrameGap = Math.max(longestFrameGap, pts - previousPts);
        }
        previousPts = pts;
    }

    /**
     * Hands every rung's filtered pictures to its encoder thread, one picture per rung per round, and catches the
     * poster's picture and the storyboard's sheets. In lockstep, as one decoded frame can become any number of
     * pictures (the frame-rate filter repeats it over a gap in the timestamps): draining one rung first would leave
     * the others' copies queued in the graph, all of them, in memory. Each round runs the graph for one more
     * picture, which every rung takes before the next round, so the pictures held are a few per rung whatever the
     * timestamps. The poster and storyboard outputs only take what the rounds bring them: pulling them would run
     * the graph past pictures no rung has taken.
     */
    private void pull() {
        boolean pulled = true;
        while (pulled) {
            pulled = false;
            for (int i = 0; i < rungs.size(); i++) {
                RungEncoder rung = rungs.get(i);
                AVFrame frame = rung.takeFreeFrame();
                if (graph.pull(i, frame)) {
                    rung.submit(frame);
                    pulled = true;
                    if (i == 0) {
                        pictures++;
                    }
                } else {
                    rung.giveBack(frame);
                }
            }
            poster.take(graph);
            if (storyboard != null) {
                storyboard.take(graph);
            }
            progress.update();
        }
    }

    @Override
    public void close() {
        av_frame_free(decoded);
    }
}
