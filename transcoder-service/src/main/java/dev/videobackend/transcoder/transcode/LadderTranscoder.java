package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * Turns one source into a ladder of H.264/AAC MP4 renditions in this process: one demuxer and one decoder feed a
 * filter graph that splits the picture into every rung's scaler; the audio is resampled and encoded once and its
 * packets are written into every rendition. Keyframes are forced at the same instants on every rung.
 */
public final class LadderTranscoder {

    public static final int AUDIO_SAMPLE_RATE = 48_000;
    private static final long PROGRESS_INTERVAL_NANOS = 100_000_000;
    private static final String AUDIO_CHAIN = "[in]aresample=" + AUDIO_SAMPLE_RATE
            + ",aformat=sample_fmts=fltp:sample_rates=" + AUDIO_SAMPLE_RATE + ":channel_layouts=stereo[out0]";

    /** How one transcode is done; comes from the service configuration. */
    public record Settings(Ladder ladder, List<String> allowedFormats, double keyframeIntervalSeconds,
            long audioBitrate, int threads) {
    }

    public enum Stage { PROBING, ENCODING, PACKAGING }

    /** Where a job is; {@code percent} is the share of the source duration already encoded. */
    public record Progress(Stage stage, double percent, double framesPerSecond, double speed, double etaSeconds,
            int renditionsDone, int renditionsTotal) {
    }

    @FunctionalInterface
    public interface ProgressListener {
        /** Called often (per frame while encoding); throttling is the listener's business. */
        void onProgress(Progress progress);
    }

    /** One written rendition. */
    public record Output(Rung rung, Path file, long sizeBytes, double durationSeconds, boolean hasAudio) {

        /** Average bits per second over the whole file. */
        public long bitrate() {
            return durationSeconds <= 0 ? 0 : Math.round(sizeBytes * 8 / durationSeconds);
        }
    }

    public record Result(SourceInfo source, List<Output> outputs) {
    }

    private final Settings settings;

    public LadderTranscoder(Settings settings) {
        this.settings = settings;
    }

    /** Writes the renditions of {@code source} into {@code outputDirectory}, which must exist. */
    public Result transcode(Path source, Path outputDirectory, ProgressListener listener) {
        return transcode(source, outputDirectory, listener, AbortSignal.NEVER);
    }

    /** As {@link #transcode(Path, Path, ProgressListener)}, stopping with the signal's failure once it answers. */
    public Result transcode(Path source, Path outputDirectory, ProgressListener listener, AbortSignal abort) {
        try (PointerScope scope = new PointerScope(); Run run = new Run(outputDirectory, listener, abort)) {
            return run.execute(source);
        }
    }

    /** The native state of one transcode, freed in reverse order of creation whatever happens. */
    private final class Run implements AutoCloseable {

        private final Deque<AutoCloseable> owned = new ArrayDeque<>();
        private final Path outputDirectory;
        private final ProgressListener listener;
        private final AbortSignal abort;
        private final long startNanos = System.nanoTime();

        private final AVPacket packet = own(av_packet_alloc(), p -> av_packet_free(p));
        private final AVPacket encoded = own(av_packet_alloc(), p -> av_packet_free(p));
        private final AVFrame decoded = own(av_frame_alloc(), f -> av_frame_free(f));
        private final AVFrame filtered = own(av_frame_alloc(), f -> av_frame_free(f));

        private SourceInfo info;
        private List<Rung> rungs;
        private Decoder videoDecoder;
        private FilterGraph videoGraph;
        private Encoder[] videoEncoders;
        private long[] keyframeInterval;
        private long[] nextKeyframe;
        private Decoder audioDecoder;
        private FilterGraph audioGraph;
        private Encoder audioEncoder;
        private Mp4Writer[] writers;
        private int[] videoStreams;
        private int[] audioStreams;

        private int videoIndex;
        private int audioIndex = -1;
        private long firstPts = AV_NOPTS_VALUE;
        private double secondsPerTick;
        private long encodedFrames;
        private long lastProgressNanos;

        Run(Path outputDirectory, ProgressListener listener, AbortSignal abort) {
            this.outputDirectory = outputDirectory;
            this.listener = listener;
            this.abort = abort;
        }

        Result execute(Path source) {
            listener.onProgress(new Progress(Stage.PROBING, 0, 0, 0, 0, 0, 0));
            SourceMedia media = own(SourceMedia.open(source, settings.allowedFormats()));
            info = media.info();
            rungs = settings.ladder().plan(info);
            openVideo(media);
            if (media.audioStream() >= 0) {
                openAudio(media);
            }
            openWriters();

            while (media.read(packet)) {
                try {
                    abort.checkNotAborted();
                    if (packet.stream_index() == videoIndex) {
                        videoDecoder.send(packet);
                        drainVideoDecoder();
                    } else if (packet.stream_index() == audioIndex) {
                        audioDecoder.send(packet);
                        drainAudioDecoder();
                    }
                } finally {
                    av_packet_unref(packet);
                }
            }
            flush();
            return finish();
        }

        private void openVideo(SourceMedia media) {
            videoIndex = media.videoStream();
            AVStream stream = media.stream(videoIndex);
            videoDecoder = own(Decoder.open(stream, settings.threads()));
            AVRational frameRate = media.guessFrameRate();
            videoGraph = own(FilterGraph.video(videoDecoder.context(), stream.time_base(), frameRate,
                    media.guessSampleAspectRatio(), scalingGraph(), rungs.size()));
            videoEncoders = new Encoder[rungs.size()];
            keyframeInterval = new long[rungs.size()];
            nextKeyframe = new long[rungs.size()];
            for (int i = 0; i < rungs.size(); i++) {
                Rung rung = rungs.get(i);
                AVRational timeBase = videoGraph.timeBase(i);
                AVRational rate = videoGraph.frameRate(i).num() > 0 ? videoGraph.frameRate(i) : frameRate;
                int gopFrames = (int) Math.max(1, Math.round(settings.keyframeIntervalSeconds() * av_q2d(rate)));
                videoEncoders[i] = own(Encoder.h264(rung.width(), rung.height(), timeBase, rate, rung.videoBitrate(),
                        gopFrames, settings.threads()));
                keyframeInterval[i] = Math.max(1, Math.round(settings.keyframeIntervalSeconds() / av_q2d(timeBase)));
                nextKeyframe[i] = AV_NOPTS_VALUE;
            }
        }

        /** {@code [in]split=N[s0]...;[s0]scale=...[out0];...}: one decode feeds every rung's scaler. */
        private String scalingGraph() {
            StringJoiner graph = new StringJoiner(";");
            StringBuilder split = new StringBuilder("[in]split=" + rungs.size());
            for (int i = 0; i < rungs.size(); i++) {
                split.append("[s").append(i).append(']');
            }
            graph.add(split);
            for (int i = 0; i < rungs.size(); i++) {
                Rung rung = rungs.get(i);
                graph.add(String.format(Locale.ROOT, "[s%d]scale=w=%d:h=%d:flags=bicubic,setsar=1,format=yuv420p[out%d]",
                        i, rung.width(), rung.height(), i));
            }
            return graph.toString();
        }

        private void openAudio(SourceMedia media) {
            audioIndex = media.audioStream();
            AVStream stream = media.stream(audioIndex);
            audioDecoder = own(Decoder.open(stream, 1));
            audioGraph = own(FilterGraph.audio(audioDecoder.context(), stream.time_base(), AUDIO_CHAIN));
            audioEncoder = own(Encoder.aac(AUDIO_SAMPLE_RATE, 2, settings.audioBitrate(), audioGraph.timeBase(0)));
            audioGraph.fixFrameSize(audioEncoder.frameSize());
        }

        private void openWriters() {
            writers = new Mp4Writer[rungs.size()];
            videoStreams = new int[rungs.size()];
            audioStreams = new int[rungs.size()];
            for (int i = 0; i < rungs.size(); i++) {
                writers[i] = own(new Mp4Writer(outputDirectory.resolve(rungs.get(i).name() + ".mp4")));
                videoStreams[i] = writers[i].addStream(videoEncoders[i]);
                audioStreams[i] = audioEncoder == null ? -1 : writers[i].addStream(audioEncoder);
                writers[i].start();
            }
        }

        private void drainVideoDecoder() {
            while (videoDecoder.receive(decoded)) {
                videoGraph.push(decoded);
                pullVideo();
            }
        }

        private void pullVideo() {
            for (int i = 0; i < rungs.size(); i++) {
                while (videoGraph.pull(i, filtered)) {
                    markKeyframe(i, filtered);
                    if (i == 0) {
                        track(filtered);
                    }
                    videoEncoders[i].send(filtered);
                    av_frame_unref(filtered);
                    writeVideo(i);
                }
            }
        }

        /**
         * Forces a keyframe at every interval boundary and nowhere else: the same frames reach every rung, so the
         * keyframes line up across the ladder and players can switch rungs at each of them.
         */
        private void markKeyframe(int rung, AVFrame frame) {
            long pts = frame.pts();
            if (nextKeyframe[rung] == AV_NOPTS_VALUE || pts >= nextKeyframe[rung]) {
                frame.pict_type(AV_PICTURE_TYPE_I);
                long base = nextKeyframe[rung] == AV_NOPTS_VALUE ? pts : nextKeyframe[rung];
                long intervals = Math.max(1, (pts - base) / keyframeInterval[rung] + 1);
                nextKeyframe[rung] = base + intervals * keyframeInterval[rung];
            } else {
                frame.pict_type(AV_PICTURE_TYPE_NONE);
            }
        }

        /** Counts frames of the first rung and reports progress from their timestamps, ten times a second at most. */
        private void track(AVFrame frame) {
            if (firstPts == AV_NOPTS_VALUE) {
                firstPts = frame.pts();
                secondsPerTick = av_q2d(videoGraph.timeBase(0));
            }
            encodedFrames++;
            long now = System.nanoTime();
            if (now - lastProgressNanos < PROGRESS_INTERVAL_NANOS) {
                return;
            }
            lastProgressNanos = now;
            double encodedSeconds = (frame.pts() - firstPts) * secondsPerTick;
            double elapsed = (now - startNanos) / 1e9;
            double speed = elapsed > 0 ? encodedSeconds / elapsed : 0;
            double duration = info.durationSeconds();
            double percent = duration > 0 ? Math.min(100, 100 * encodedSeconds / duration) : 0;
            double eta = speed > 0 ? Math.max(0, (duration - encodedSeconds) / speed) : 0;
            listener.onProgress(new Progress(Stage.ENCODING, percent, elapsed > 0 ? encodedFrames / elapsed : 0,
                    speed, eta, 0, rungs.size()));
        }

        private void writeVideo(int rung) {
            while (videoEncoders[rung].receive(encoded)) {
                writers[rung].write(encoded, videoStreams[rung]);
                av_packet_unref(encoded);
            }
        }

        private void drainAudioDecoder() {
            while (audioDecoder.receive(decoded)) {
                audioGraph.push(decoded);
                pullAudio();
            }
        }

        private void pullAudio() {
            while (audioGraph.pull(0, filtered)) {
                audioEncoder.send(filtered);
                av_frame_unref(filtered);
                writeAudio();
            }
        }

        /** The audio is encoded once; each packet goes to every rendition. */
        private void writeAudio() {
            while (audioEncoder.receive(encoded)) {
                for (int i = 0; i < writers.length; i++) {
                    writers[i].write(encoded, audioStreams[i]);
                }
                av_packet_unref(encoded);
            }
        }

        private void flush() {
            videoDecoder.send(null);
            drainVideoDecoder();
            videoGraph.push(null);
            pullVideo();
            for (int i = 0; i < rungs.size(); i++) {
                videoEncoders[i].send(null);
                writeVideo(i);
            }
            if (audioEncoder != null) {
                audioDecoder.send(null);
                drainAudioDecoder();
                audioGraph.push(null);
                pullAudio();
                audioEncoder.send(null);
                writeAudio();
            }
        }

        private Result finish() {
            if (encodedFrames == 0) {
                throw new TranscodeFailure(FailureCode.CORRUPT_INPUT, "The source has no decodable video frame");
            }
            List<Output> outputs = new ArrayList<>();
            for (int i = 0; i < rungs.size(); i++) {
                listener.onProgress(new Progress(Stage.PACKAGING, 100, 0, 0, 0, i, rungs.size()));
                writers[i].finish();
                outputs.add(new Output(rungs.get(i), writers[i].file(), size(writers[i].file()),
                        writers[i].durationSeconds(), audioEncoder != null));
            }
            return new Result(info, outputs);
        }

        private <T> T own(T resource, Consumer<T> release) {
            owned.push(() -> release.accept(resource));
            return resource;
        }

        private <T extends AutoCloseable> T own(T resource) {
            owned.push(resource);
            return resource;
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            while (!owned.isEmpty()) {
                try {
                    owned.pop().close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = new IllegalStateException("Could not release the native state of a transcode", e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the size of " + file, e);
        }
    }
}
