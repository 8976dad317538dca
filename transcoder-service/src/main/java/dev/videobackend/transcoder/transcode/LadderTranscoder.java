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
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

/**
 * Turns one source into an HLS ladder in this process. One demuxer and one decoder feed a filter graph that
 * normalises the picture once and scales every rung from the next larger one ({@link VideoFilters}); each rung's
 * H.264 encoder runs on its own thread ({@link RungEncoder}) and writes fMP4 segments with keyframes at the same
 * instants on every rung. The audio is resampled and encoded once, into a playlist of its own that every rung
 * shares. A poster JPEG comes from one rung's pictures, and a progressive MP4 from the packets of a small rung and
 * of the audio, without encoding anything again. The master playlist is written last, from what was measured.
 *
 * <pre>
 * out/master.m3u8, out/{rung}p/playlist.m3u8 + init.mp4 + segment-00001.m4s ..., out/audio/..., poster.jpg,
 * progressive.mp4
 * </pre>
 */
public final class LadderTranscoder {

    public static final int AUDIO_SAMPLE_RATE = 48_000;
    public static final int AUDIO_CHANNELS = 2;
    public static final String POSTER = "poster.jpg";
    public static final String PROGRESSIVE = "progressive.mp4";
    public static final String AUDIO_DIRECTORY = "audio";
    private static final int LARGEST_POSTER_RUNG = 720;
    private static final int LARGEST_PROGRESSIVE_RUNG = 360;
    private static final long PROGRESS_INTERVAL_NANOS = 100_000_000;
    /** Video ending this much earlier than announced (and over 5% of it) means the file was cut short. */
    private static final double MISSING_SECONDS_TOLERATED = 1.0;
    private static final double MISSING_SHARE_TOLERATED = 0.05;
    /** Frame gaps further apart than this (timestamp rounding aside) mean a variable frame rate. */
    private static final double VARIABLE_GAP_RATIO = 1.5;
    private static final String AUDIO_CHAIN = "[in]aresample=" + AUDIO_SAMPLE_RATE
            + ",aformat=sample_fmts=fltp:sample_rates=" + AUDIO_SAMPLE_RATE + ":channel_layouts=stereo[out0]";

    /** How one transcode is done; comes from the service configuration. */
    public record Settings(Ladder ladder, List<String> allowedFormats, double keyframeIntervalSeconds,
            long audioBitrate, int threads, SourceLimits limits, VideoEncoding video) {
    }

    public enum Stage { PROBING, ENCODING, PACKAGING }

    /** Where a job is; {@code percent} is the share of the source duration already encoded. */
    /** {@code sourceDurationSeconds} is 0 until the source is probed. */
    public record Progress(Stage stage, double percent, double framesPerSecond, double speed, double etaSeconds,
            int renditionsDone, int renditionsTotal, double sourceDurationSeconds) {
    }

    @FunctionalInterface
    public interface ProgressListener {
        /** Called often (ten times a second while encoding); throttling is the listener's business. */
        void onProgress(Progress progress);
    }

    /** One rung's media playlist, measured. {@code peakBitrate} and {@code averageBitrate} exclude the audio. */
    public record Rendition(Rung rung, Path playlist, String codecs, double frameRate, long peakBitrate,
            long averageBitrate, long sizeBytes, double durationSeconds) {
    }

    /** The shared AAC-LC audio playlist, measured. */
    public record Audio(Path playlist, int channels, int sampleRate, long peakBitrate, long averageBitrate,
            long sizeBytes, double durationSeconds) {
    }

    public record Poster(Path file, int width, int height) {
    }

    public record Progressive(Path file, int width, int height, boolean hasAudio, long bitrate, long sizeBytes,
            double durationSeconds) {
    }

    /** Everything written; {@code audio} is {@code null} for a source without audio. */
    public record Result(SourceInfo source, Path masterPlaylist, List<Rendition> renditions, Audio audio,
            Poster poster, Progressive progressive) {
    }

    private final Settings settings;

    public LadderTranscoder(Settings settings) {
        this.settings = settings;
    }

    /** Writes the ladder of {@code source} into {@code outputDirectory}, which must exist. */
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
        private final AVFrame fallbackPoster = own(av_frame_alloc(), f -> av_frame_free(f));

        private SourceInfo info;
        private double announcedVideoSeconds;
        private FrameRate frameRate;
        private List<Rung> rungs;
        private VideoFilters filters;
        private Decoder videoDecoder;
        private FilterGraph videoGraph;
        private final List<RungEncoder> rungEncoders = new ArrayList<>();
        private Decoder audioDecoder;
        private FilterGraph audioGraph;
        private Encoder audioEncoder;
        private Muxer audioPlaylist;
        private Muxer progressive;
        private int progressiveAudioStream = -1;
        private Poster poster;
        private boolean hasFallbackPoster;

        private long previousPts = AV_NOPTS_VALUE;
        private long shortestFrameGap = Long.MAX_VALUE;
        private long longestFrameGap;
        private int videoIndex;
        private int audioIndex = -1;
        private long lastProgressNanos;
        private double percent;

        Run(Path outputDirectory, ProgressListener listener, AbortSignal abort) {
            this.outputDirectory = outputDirectory;
            this.listener = listener;
            this.abort = abort;
        }

        Result execute(Path source) {
            listener.onProgress(new Progress(Stage.PROBING, 0, 0, 0, 0, 0, 0, 0));
            SourceMedia media = own(SourceMedia.open(source, settings.allowedFormats(), settings.limits(), abort));
            info = media.info();
            announcedVideoSeconds = media.videoDurationSeconds();
            settings.limits().check(info);
            frameRate = FrameRate.forRenditions(info.frameRate());
            rungs = settings.ladder().plan(info, frameRate);
            filters = new VideoFilters(info, frameRate, rungs, pick(LARGEST_POSTER_RUNG), posterSeconds());
            openVideo(media);
            if (media.audioStream() >= 0) {
                openAudio(media);
            }
            openOutputs();

            listener.onProgress(new Progress(Stage.ENCODING, 0, 0, 0, 0, 0, rungs.size(), info.durationSeconds()));
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

        /** The largest rung at or below {@code largestLabel}, else the smallest rung. */
        private int pick(int largestLabel) {
            for (int i = 0; i < rungs.size(); i++) {
                if (rungs.get(i).label() <= largestLabel) {
                    return i;
                }
            }
            return rungs.size() - 1;
        }

        /** Past a fade-in: 10% into the source, at least 1 s (or half of a shorter source), at most a minute. */
        private double posterSeconds() {
            double duration = info.durationSeconds();
            if (duration <= 0) {
                return 1;
            }
            return Math.min(Math.max(duration * 0.1, Math.min(1, duration / 2)), 60);
        }

        private void openVideo(SourceMedia media) {
            videoIndex = media.videoStream();
            AVStream stream = media.stream(videoIndex);
            videoDecoder = own(Decoder.open(stream, decoderThreads()));
            videoGraph = own(FilterGraph.video(videoDecoder.context(), stream.time_base(), media.guessFrameRate(),
                    media.guessSampleAspectRatio(), filters.describe(), filters.outputs()));
        }

        private int decoderThreads() {
            int cap = settings.limits().maxDecoderThreads();
            return settings.threads() == 0 ? Math.min(cap, Runtime.getRuntime().availableProcessors())
                    : Math.min(cap, settings.threads());
        }

        private void openAudio(SourceMedia media) {
            audioIndex = media.audioStream();
            AVStream stream = media.stream(audioIndex);
            audioDecoder = own(Decoder.open(stream, 1));
            audioGraph = own(FilterGraph.audio(audioDecoder.context(), stream.time_base(), AUDIO_CHAIN));
            audioEncoder = own(Encoder.aac(AUDIO_SAMPLE_RATE, AUDIO_CHANNELS, settings.audioBitrate(),
                    audioGraph.timeBase(0)));
            audioGraph.fixFrameSize(audioEncoder.frameSize());
        }

        /**
         * Encoders and muxers first, then the encoder threads, which are owned last so that they stop before
         * anything they use is freed.
         */
        private void openOutputs() {
            int progressiveRung = pick(LARGEST_PROGRESSIVE_RUNG);
            Encoder[] encoders = new Encoder[rungs.size()];
            Muxer[] playlists = new Muxer[rungs.size()];
            for (int i = 0; i < rungs.size(); i++) {
                Rung rung = rungs.get(i);
                AVRational timeBase = videoGraph.timeBase(i);
                AVRational rate = av_make_q(frameRate.num(), frameRate.den());
                int gopFrames = (int) Math.max(1, Math.round(settings.keyframeIntervalSeconds() * frameRate.value()));
                encoders[i] = own(Encoder.h264(rung.width(), rung.height(), timeBase, rate, rung.videoBitrate(),
                        gopFrames, settings.threads(), settings.video()));
                playlists[i] = own(Muxer.hls(directory(rung.name()), settings.keyframeIntervalSeconds()));
                playlists[i].addStream(encoders[i]);
                playlists[i].start();
            }
            progressive = own(Muxer.progressiveMp4(outputDirectory.resolve(PROGRESSIVE)));
            int progressiveVideoStream = progressive.addStream(encoders[progressiveRung]);
            if (audioEncoder != null) {
                progressiveAudioStream = progressive.addStream(audioEncoder);
                audioPlaylist = own(Muxer.hls(directory(AUDIO_DIRECTORY), settings.keyframeIntervalSeconds()));
                audioPlaylist.addStream(audioEncoder);
                audioPlaylist.start();
            }
            progressive.start();
            for (int i = 0; i < rungs.size(); i++) {
                boolean feedsProgressive = i == progressiveRung;
                rungEncoders.add(own(new RungEncoder(rungs.get(i), encoders[i], playlists[i], 0,
                        feedsProgressive ? progressive : null, feedsProgressive ? progressiveVideoStream : -1,
                        settings.keyframeIntervalSeconds(), abort)));
            }
        }

        private Path directory(String name) {
            try {
                return Files.createDirectories(outputDirectory.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create " + outputDirectory.resolve(name), e);
            }
        }

        private void drainVideoDecoder() {
            while (videoDecoder.receive(decoded)) {
                measureFrameGap(decoded.pts());
                videoGraph.push(decoded);
                pullVideo();
            }
        }

        /** Containers such as Matroska do not tell a variable frame rate: the decoded timestamps do. */
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

        /** Hands every rung's filtered pictures to its encoder thread, and catches the poster's picture. */
        private void pullVideo() {
            for (int i = 0; i < rungEncoders.size(); i++) {
                RungEncoder rung = rungEncoders.get(i);
                while (true) {
                    AVFrame frame = rung.takeFreeFrame();
                    if (!videoGraph.pull(i, frame)) {
                        rung.giveBack(frame);
                        break;
                    }
                    rung.submit(frame);
                }
            }
            while (videoGraph.pull(filters.posterOutput(), filtered)) {
                writePoster(filtered);
                av_frame_unref(filtered);
            }
            if (!hasFallbackPoster && videoGraph.pull(filters.fallbackPosterOutput(), fallbackPoster)) {
                hasFallbackPoster = true;
            }
            reportProgress();
        }

        private void writePoster(AVFrame picture) {
            if (poster != null) {
                return;
            }
            Path file = outputDirectory.resolve(POSTER);
            try (Encoder jpeg = Encoder.jpeg(picture.width(), picture.height())) {
                jpeg.send(picture);
                jpeg.send(null);
                if (!jpeg.receive(encoded)) {
                    throw new TranscodeFailure(FailureCode.INTERNAL, "The JPEG encoder gave no poster");
                }
                byte[] bytes = new byte[encoded.size()];
                encoded.data().get(bytes);
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write " + file, e);
            } finally {
                av_packet_unref(encoded);
            }
            poster = new Poster(file, picture.width(), picture.height());
        }

        /** Percent from the slowest rung's written timestamps: what is really done. */
        private void reportProgress() {
            long now = System.nanoTime();
            if (now - lastProgressNanos < PROGRESS_INTERVAL_NANOS) {
                return;
            }
            lastProgressNanos = now;
            double encodedSeconds = rungEncoders.stream().mapToDouble(RungEncoder::encodedSeconds).min().orElse(0);
            double elapsed = (now - startNanos) / 1e9;
            double speed = elapsed > 0 ? encodedSeconds / elapsed : 0;
            double duration = info.durationSeconds();
            percent = Math.max(percent, duration > 0 ? Math.min(100, 100 * encodedSeconds / duration) : 0);
            double eta = speed > 0 ? Math.max(0, (duration - encodedSeconds) / speed) : 0;
            double framesPerSecond = elapsed > 0 ? rungEncoders.get(0).encodedFrames() / elapsed : 0;
            int done = (int) rungEncoders.stream().filter(RungEncoder::finished).count();
            listener.onProgress(new Progress(Stage.ENCODING, percent, framesPerSecond, speed, eta, done, rungs.size(),
                    info.durationSeconds()));
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

        /** The audio is encoded once; each packet goes to the shared playlist and the progressive MP4. */
        private void writeAudio() {
            while (audioEncoder.receive(encoded)) {
                try {
                    audioPlaylist.write(encoded, 0);
                    progressive.write(encoded, progressiveAudioStream);
                } finally {
                    av_packet_unref(encoded);
                }
            }
        }

        private void flush() {
            videoDecoder.send(null);
            drainVideoDecoder();
            videoGraph.push(null);
            pullVideo();
            rungEncoders.forEach(RungEncoder::endOfStream);
            if (audioEncoder != null) {
                audioDecoder.send(null);
                drainAudioDecoder();
                audioGraph.push(null);
                pullAudio();
                audioEncoder.send(null);
                writeAudio();
            }
            for (RungEncoder rung : rungEncoders) {
                rung.awaitFinished();
                reportProgress();
            }
            if (poster == null && hasFallbackPoster) {
                writePoster(fallbackPoster);
            }
        }

        private Result finish() {
            if (rungEncoders.get(0).encodedFrames() == 0 || poster == null) {
                throw new TranscodeFailure(FailureCode.CORRUPT_INPUT, "The source has no decodable video frame");
            }
            refuseCutShort(rungEncoders.get(0).encodedSeconds());
            if (!info.variableFrameRate() && longestFrameGap > shortestFrameGap * VARIABLE_GAP_RATIO) {
                info = info.withVariableFrameRate();
            }
            List<Rendition> renditions = new ArrayList<>();
            for (RungEncoder rung : rungEncoders) {
                listener.onProgress(new Progress(Stage.PACKAGING, 100, 0, 0, 0, renditions.size(), rungs.size(),
                        info.durationSeconds()));
                renditions.add(rendition(rung));
            }
            Audio audio = audioPlaylist == null ? null : audio();
            progressive.finish();
            Rung progressiveRung = rungs.get(pick(LARGEST_PROGRESSIVE_RUNG));
            long progressiveSize = size(progressive.file());
            double progressiveDuration = progressive.durationSeconds();
            Progressive progressiveOutput = new Progressive(progressive.file(), progressiveRung.width(),
                    progressiveRung.height(), audio != null, MediaPlaylist.bitrate(progressiveSize, progressiveDuration),
                    progressiveSize, progressiveDuration);
            Path master = MasterPlaylist.write(outputDirectory, renditions.stream()
                    .map(rendition -> new MasterPlaylist.Variant(relative(rendition.playlist()),
                            rendition.rung().width(), rendition.rung().height(), rendition.frameRate(),
                            rendition.codecs(), rendition.peakBitrate(), rendition.averageBitrate()))
                    .toList(),
                    audio == null ? null : new MasterPlaylist.Audio(relative(audio.playlist()), audio.channels(),
                            audio.peakBitrate(), audio.averageBitrate()));
            listener.onProgress(new Progress(Stage.PACKAGING, 100, 0, 0, 0, rungs.size(), rungs.size(), info.durationSeconds()));
            return new Result(info, master, renditions, audio, poster, progressiveOutput);
        }

        /** A file cut short (an interrupted upload) still demuxes, up to where it ends: that is no success. */
        private void refuseCutShort(double encodedSeconds) {
            double missing = announcedVideoSeconds - encodedSeconds;
            if (missing > MISSING_SECONDS_TOLERATED && missing > announcedVideoSeconds * MISSING_SHARE_TOLERATED) {
                throw new TranscodeFailure(FailureCode.CORRUPT_INPUT, String.format(Locale.ROOT,
                        "The source's video stops after %.1f s of the %.1f s it announces: the file is truncated or "
                                + "damaged", encodedSeconds, announcedVideoSeconds));
            }
        }

        private Rendition rendition(RungEncoder rung) {
            rung.playlist().finish();
            MediaPlaylist written = MediaPlaylist.read(rung.playlist().file());
            double duration = rung.playlist().durationSeconds();
            return new Rendition(rung.rung(), written.file(), CodecStrings.avc1(rung.encoder().context()),
                    frameRate.value(), written.peakBitrate(), written.averageBitrate(), written.sizeBytes(), duration);
        }

        private Audio audio() {
            audioPlaylist.finish();
            MediaPlaylist written = MediaPlaylist.read(audioPlaylist.file());
            double duration = audioPlaylist.durationSeconds();
            return new Audio(written.file(), AUDIO_CHANNELS, AUDIO_SAMPLE_RATE, written.peakBitrate(),
                    written.averageBitrate(), written.sizeBytes(), duration);
        }

        private String relative(Path file) {
            return outputDirectory.relativize(file).toString();
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
