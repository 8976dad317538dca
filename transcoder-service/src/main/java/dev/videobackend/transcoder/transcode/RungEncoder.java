package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.Pointer;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * One rung's H.264 encoder (or its AV1 variant's) on a thread of its own, so that the rungs encode in parallel. The filtering thread pulls
 * each filtered picture straight into one of a few frames allocated once ({@link #takeFreeFrame()}), and hands it
 * over by reference; the encoder thread gives it back once encoded. The queue is bounded: a slow rung holds back
 * the decoding instead of piling up pictures. Both sides poll the job's {@link AbortSignal}, so a cancel stops
 * them within a fraction of a second.
 */
final class RungEncoder implements AutoCloseable {

    private static final int FRAMES_IN_FLIGHT = 4;
    private static final long POLL_MILLIS = 20;
    /** Marks the end of the pictures; never dereferenced. */
    private static final AVFrame END = new AVFrame((Pointer) null);

    private final Rung rung;
    /** The rung's name, e.g. {@code 720p}, or its AV1 variant's, {@code 720p-av1}. */
    private final String name;
    private final Encoder encoder;
    private final Muxer playlist;
    private final int playlistStream;
    private final Muxer progressive;
    private final int progressiveStream;
    private final AbortSignal abort;
    private final long keyframeInterval;
    private final AVFrame[] frames = new AVFrame[FRAMES_IN_FLIGHT];
    private final BlockingQueue<AVFrame> free = new ArrayBlockingQueue<>(FRAMES_IN_FLIGHT);
    private final BlockingQueue<AVFrame> pending = new ArrayBlockingQueue<>(FRAMES_IN_FLIGHT + 1);
    private final AVPacket packet;
    private final Thread thread;
    private final double secondsPerTick;
    /** The AV1 variant fed the same pictures, or {@code null}. */
    private RungEncoder follower;
    private long nextKeyframe = AV_NOPTS_VALUE;
    private long firstPts = AV_NOPTS_VALUE;
    private volatile RuntimeException failure;
    private volatile boolean finished;
    private volatile long encodedFrames;
    private volatile double encodedSeconds;

    /**
     * @param progressive the progressive MP4 this rung's packets also go to, or {@code null}
     * @param keyframeIntervalSeconds a keyframe is forced at every multiple of it, and nowhere else
     */
    RungEncoder(Rung rung, String name, Encoder encoder, Muxer playlist, int playlistStream, Muxer progressive,
            int progressiveStream, double keyframeIntervalSeconds, AbortSignal abort) {
        this.rung = rung;
        this.name = name;
        this.encoder = encoder;
        this.playlist = playlist;
        this.playlistStream = playlistStream;
        this.progressive = progressive;
        this.progressiveStream = progressiveStream;
        this.abort = abort;
        this.secondsPerTick = av_q2d(encoder.context().time_base());
        this.keyframeInterval = Math.max(1, Math.round(keyframeIntervalSeconds / secondsPerTick));
        AVPacket allocated = null;
        try {
            allocated = Ffmpeg.allocated(av_packet_alloc(), "a packet for the " + name + " encoder");
            for (int i = 0; i < FRAMES_IN_FLIGHT; i++) {
                frames[i] = Ffmpeg.allocated(av_frame_alloc(), "a frame for the " + name + " encoder");
                free.add(frames[i]);
            }
        } catch (Throwable e) {
            // Not yet anyone's to close; FFmpeg's free functions take NULL.
            av_packet_free(allocated);
            freeFrames();
            throw e;
        }
        this.packet = allocated;
        this.thread = new Thread(this::encodeAll, "encode-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    Rung rung() {
        return rung;
    }

    /**
     * Every picture submitted here also goes to {@code av1Variant}, by reference (no copy), with the same keyframe
     * marks; the end of the pictures too. Its queue holds back the decoding when it is behind, as this one's does.
     */
    void alsoFeed(RungEncoder av1Variant) {
        this.follower = av1Variant;
    }

    Encoder encoder() {
        return encoder;
    }

    Muxer playlist() {
        return playlist;
    }

    /** A blank frame to pull the next picture into; waits while the encoder is behind. */
    AVFrame takeFreeFrame() {
        while (true) {
            checkHealthy();
            AVFrame frame = poll(free);
            if (frame != null) {
                return frame;
            }
        }
    }

    /** Gives back a frame taken but not filled. */
    void giveBack(AVFrame frame) {
        free.add(frame);
    }

    /** Hands a filled frame over to the encoder thread, marking keyframes on the way. */
    void submit(AVFrame frame) {
        markKeyframe(frame);
        if (follower != null) {
            AVFrame reference = follower.takeFreeFrame();
            int result = av_frame_ref(reference, frame);
            if (result < 0) {
                follower.giveBack(reference);
                Ffmpeg.check(result, "reference a picture for the " + follower.name + " encoder");
            }
            follower.submit(reference);
        }
        pending.add(frame);
    }

    /** No more pictures: the encoder thread drains the encoder and ends. */
    void endOfStream() {
        pending.add(END);
        if (follower != null) {
            follower.endOfStream();
        }
    }

    /** Waits until every packet of this rung is written. */
    void awaitFinished() {
        while (!finished) {
            checkHealthy();
            try {
                thread.join(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TranscodeFailure(FailureCode.INTERNAL, "Interrupted while waiting for the encoders", e);
            }
        }
        checkHealthy();
    }

    boolean finished() {
        return finished;
    }

    long encodedFrames() {
        return encodedFrames;
    }

    /** Seconds of output written, from the encoded packets' timestamps. */
    double encodedSeconds() {
        return encodedSeconds;
    }

    /**
     * Forces a keyframe at every interval boundary and nowhere else: the same pictures reach every rung, so the
     * keyframes line up across the ladder and players can switch rungs at each segment boundary.
     */
    private void markKeyframe(AVFrame frame) {
        long pts = frame.pts();
        if (nextKeyframe == AV_NOPTS_VALUE || pts >= nextKeyframe) {
            frame.pict_type(AV_PICTURE_TYPE_I);
            long base = nextKeyframe == AV_NOPTS_VALUE ? pts : nextKeyframe;
            long intervals = Math.max(1, (pts - base) / keyframeInterval + 1);
            nextKeyframe = base + intervals * keyframeInterval;
        } else {
            frame.pict_type(AV_PICTURE_TYPE_NONE);
        }
    }

    private void encodeAll() {
        try {
            while (true) {
                AVFrame frame = poll(pending);
                if (frame == null) {
                    abort.checkNotAborted();
                } else if (frame == END) {
                    encoder.send(null);
                    writePackets();
                    finished = true;
                    return;
                } else {
                    try {
                        encoder.send(frame);
                    } finally {
                        av_frame_unref(frame);
                        free.add(frame);
                    }
                    writePackets();
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void writePackets() {
        while (encoder.receive(packet)) {
            try {
                if (firstPts == AV_NOPTS_VALUE) {
                    firstPts = packet.pts();
                }
                playlist.write(packet, playlistStream);
                if (progressive != null) {
                    progressive.write(packet, progressiveStream);
                }
                encodedFrames++;
                encodedSeconds = Math.max(encodedSeconds, (packet.pts() + packet.duration() - firstPts) * secondsPerTick);
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    private void checkHealthy() {
        abort.checkNotAborted();
        RuntimeException failed = failure;
        if (failed != null) {
            throw new TranscodeFailure(failed instanceof TranscodeFailure t ? t.code() : FailureCode.INTERNAL,
                    "The " + name + " encoder failed: " + failed.getMessage(), failed);
        }
        if (!thread.isAlive() && !finished) {
            throw new TranscodeFailure(FailureCode.INTERNAL, "The " + name + " encoder stopped unexpectedly");
        }
    }

    private AVFrame poll(BlockingQueue<AVFrame> queue) {
        try {
            return queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TranscodeFailure(FailureCode.INTERNAL, "Interrupted while passing pictures to the encoders", e);
        }
    }

    /** Stops the encoder thread if it still runs, then frees the frames; the encoder and muxers are the caller's. */
    @Override
    public void close() {
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        freeFrames();
        av_packet_free(packet);
    }

    private void freeFrames() {
        for (AVFrame frame : frames) {
            av_frame_free(frame);
        }
    }
}
