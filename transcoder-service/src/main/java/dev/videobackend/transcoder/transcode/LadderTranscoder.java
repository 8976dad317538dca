package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

/**
 * Turns one source into an HLS ladder in this process. One demuxer and one decoder feed a filter graph that
 * normalises the picture once and scales every rung from the next larger one ({@link VideoFilters}); each rung's
 * H.264 encoder runs on its own thread ({@link RungEncoder}) and writes fMP4 segments with keyframes at the same
 * instants on every rung; optionally, rungs also get an AV1 variant ({@link Av1Ladder}), encoded from the same
 * pictures with the same keyframes. The audio is resampled and encoded once, into a playlist of its own that every
 * rung shares. A poster JPEG and the storyboard's sprite sheets come from rungs' pictures, and a progressive MP4 from
 * the packets of a small rung and of the audio, without encoding anything again. The master playlist is written
 * last, from what was measured.
 *
 * <p>{@link #transcode} is the outline; its parts: {@link SourceMedia} reads the source, {@link VideoTrack} decodes
 * and filters the video into the rungs' {@link RungEncoder}s in lockstep, {@link AudioTrack} encodes the audio,
 * {@link PosterCapture} writes the poster, {@link ProgressMeter} reports, {@link Packager} measures and writes the
 * master playlist. Each part owns the native structs it allocates; the ones the outline creates (the video decoder
 * and filter graph, encoders, muxers, encoder threads) are the {@link NativeOwner}'s.
 *
 * <pre>
 * out/master.m3u8, out/{rung}p/playlist.m3u8 + init.mp4 + segment-00001.m4s ..., out/{rung}p-av1/... (AV1 on),
 * out/audio/..., poster.jpg, progressive.mp4, storyboard.vtt + sprite-001.jpg ...
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
    /** Video ending this much earlier than announced (and over 5% of it) means the file was cut short. */
    private static final double MISSING_SECONDS_TOLERATED = 1.0;
    private static final double MISSING_SHARE_TOLERATED = 0.05;

    /** How one transcode is done; comes from the service configuration. */
    public record Settings(Ladder ladder, List<String> allowedFormats, List<String> allowedDecoders,
            double keyframeIntervalSeconds,
            long audioBitrate, int threads, SourceLimits limits, VideoEncoding video, Av1Ladder av1,
            StoryboardSpec storyboard) {

        /** Without AV1 variants. */
        public Settings(Ladder ladder, List<String> allowedFormats, List<String> allowedDecoders,
                double keyframeIntervalSeconds, long audioBitrate, int threads, SourceLimits limits,
                VideoEncoding video, StoryboardSpec storyboard) {
            this(ladder, allowedFormats, allowedDecoders, keyframeIntervalSeconds, audioBitrate, threads, limits, video,
                    Av1Ladder.OFF, storyboard);
        }
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

        /** Called once, when the source is probed and the ladder planned: what the transcode is about to do. */
        default void onWorkload(Workload workload) {
        }
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

    /**
     * Everything written; {@code audio} is {@code null} for a source without audio, {@code storyboard} when off.
     * {@code av1Renditions} are the AV1 variants, largest first, empty unless {@link Av1Ladder#enabled()}.
     */
    public record Result(SourceInfo source, Path masterPlaylist, List<Rendition> renditions, Audio audio,
            Poster poster, Progressive progressive, Storyboard storyboard, List<Rendition> av1Renditions) {
    }

    private final Settings settings;

    public LadderTranscoder(Settings settings) {
        this.settings = settings;
    }

    /** Writes the ladder of {@code source} into {@code outputDirectory}, which must exist. */
    public Result transcode(Path source, Path outputDirectory, ProgressListener listener) {
        return transcode(source, outputDirectory, listener, AbortSignal.NEVER);
    }

    /**
     * As {@link #transcode(Path, Path, ProgressListener)}, stopping with the signal's failure once it answers. The
     * pipeline's outline: every native part is created here, in order, and owned by one {@link NativeOwner} that
     * frees them in reverse order, whatever happens.
     */
    public Result transcode(Path source, Path outputDirectory, ProgressListener listener, AbortSignal abort) {
        ProgressMeter progress = new ProgressMeter(listener);
        progress.probing();
        try (PointerScope scope = new PointerScope(); NativeOwner owner = new NativeOwner()) {
            SourceMedia media = owner.own(SourceMedia.open(source, settings.allowedFormats(),
                    settings.allowedDecoders(), settings.limits(), abort));
            SourceInfo info = media.info();
            double announcedVideoSeconds = media.videoDurationSeconds();
            settings.limits().check(info);
            FrameRate frameRate = FrameRate.forRenditions(info.frameRate());
            List<Rung> rungs = settings.ladder().plan(info, frameRate);
            listener.onWorkload(new Workload(info.durationSeconds(), frameRate, withAv1Variants(rungs)));
            VideoFilters filters = new VideoFilters(info, frameRate, rungs, pick(rungs, LARGEST_POSTER_RUNG),
                    posterSeconds(info), settings.storyboard().plan(info.durationSeconds(), frameRate, rungs));

            AVStream videoStream = media.stream(media.videoStream());
            Decoder videoDecoder = owner.own(media.openDecoder(media.videoStream(), decoderThreads(),
                    settings.limits().maxPixels()));
            FilterGraph videoGraph = owner.own(FilterGraph.video(videoDecoder.context(), videoStream.time_base(),
                    media.guessFrameRate(), media.guessSampleAspectRatio(), filters.describe(), filters.outputs()));
            AudioTrack audio = media.audioStream() < 0 ? null : owner.own(new AudioTrack(media, settings.audioBitrate(),
                    outputDirectory, settings.keyframeIntervalSeconds(), settings.limits().maxPixels()));
            Rung progressiveRung = rungs.get(pick(rungs, LARGEST_PROGRESSIVE_RUNG));
            Outputs outputs = openOutputs(owner, outputDirectory, rungs, frameRate, videoGraph, audio,
                    progressiveRung, abort);
            List<RungEncoder> rungEncoders = outputs.rungs();
            PosterCapture poster = owner.own(new PosterCapture(outputDirectory.resolve(POSTER), filters));
            StoryboardCapture storyboard = filters.storyboard() == null ? null
                    : owner.own(new StoryboardCapture(outputDirectory, filters));
            VideoTrack video = owner.own(new VideoTrack(videoStream, videoDecoder, videoGraph, settings.limits(),
                    rungEncoders, poster, storyboard, progress));
            AVPacket packet = owner.allocated(av_packet_alloc(), p -> av_packet_free(p), "a packet");

            progress.encoding(outputs.all(), info.durationSeconds());
            while (media.read(packet)) {
                try {
                    abort.checkNotAborted();
                    if (packet.stream_index() == video.streamIndex()) {
                        video.send(packet);
                    } else if (audio != null && packet.stream_index() == audio.streamIndex()) {
                        audio.send(packet);
                    }
                } finally {
                    av_packet_unref(packet);
                }
            }
            video.flush();
            if (audio != null) {
                audio.flush();
            }
            for (RungEncoder rung : outputs.all()) {
                rung.awaitFinished();
                progress.update();
            }
            Poster posterWritten = poster.finish();

            if (rungEncoders.get(0).encodedFrames() == 0 || posterWritten == null) {
                throw new TranscodeFailure(FailureCode.CORRUPT_INPUT, "The source has no decodable video frame");
            }
            refuseCutShort(rungEncoders.get(0).encodedSeconds(), announcedVideoSeconds);
            Storyboard storyboardWritten = storyboard == null ? null
                    : storyboard.finish(videoGraph, video.pictures(), rungEncoders.get(0).encodedSeconds());
            if (!info.variableFrameRate() && video.variableFrameRate()) {
                info = info.withVariableFrameRate();
            }
            return new Packager(outputDirectory, progress).write(info, frameRate, rungEncoders, outputs.av1(), audio,
                    outputs.progressive(), progressiveRung, posterWritten, storyboardWritten);
        }
    }

    /**
     * Every rung's encoder thread, the AV1 variants' (fed by their rungs'), and the progressive MP4 that one rung
     * and the audio also write to.
     */
    private record Outputs(List<RungEncoder> rungs, List<RungEncoder> av1, Muxer progressive) {

        List<RungEncoder> all() {
            List<RungEncoder> all = new ArrayList<>(rungs);
            all.addAll(av1);
            return all;
        }
    }

    /**
     * Every rung's encoder and HLS playlist, its AV1 variant's where it has one, and the progressive MP4 (a small
     * rung's video and the audio), then the encoder threads, owned last so that they stop before anything they use
     * is freed.
     */
    private Outputs openOutputs(NativeOwner owner, Path outputDirectory, List<Rung> rungs,
            FrameRate frameRate, FilterGraph videoGraph, AudioTrack audio, Rung progressiveRung, AbortSignal abort) {
        Encoder[] encoders = new Encoder[rungs.size()];
        Muxer[] playlists = new Muxer[rungs.size()];
        Encoder[] av1Encoders = new Encoder[rungs.size()];
        Muxer[] av1Playlists = new Muxer[rungs.size()];
        Av1Ladder av1 = settings.av1();
        for (int i = 0; i < rungs.size(); i++) {
            Rung rung = rungs.get(i);
            AVRational timeBase = videoGraph.timeBase(i);
            AVRational rate = av_make_q(frameRate.num(), frameRate.den());
            int gopFrames = (int) Math.max(1, Math.round(settings.keyframeIntervalSeconds() * frameRate.value()));
            encoders[i] = owner.own(Encoder.h264(rung.width(), rung.height(), timeBase, rate, rung.videoBitrate(),
                    gopFrames, settings.threads(), settings.video()));
            playlists[i] = hlsPlaylist(owner, outputDirectory, rung.name(), encoders[i]);
            if (av1.covers(rung)) {
                av1Encoders[i] = owner.own(Encoder.svtAv1(rung.width(), rung.height(), timeBase, rate,
                        av1.variantOf(rung).videoBitrate(), gopFrames, settings.threads(), av1));
                av1Playlists[i] = hlsPlaylist(owner, outputDirectory, Av1Ladder.directoryName(rung), av1Encoders[i]);
            }
        }
        int progressiveIndex = rungs.indexOf(progressiveRung);
        Muxer progressive = owner.own(Muxer.progressiveMp4(outputDirectory.resolve(PROGRESSIVE)));
        int progressiveVideoStream = progressive.addStream(encoders[progressiveIndex]);
        if (audio != null) {
            audio.alsoInto(progressive);
        }
        progressive.start();
        List<RungEncoder> rungEncoders = new ArrayList<>();
        List<RungEncoder> av1Variants = new ArrayList<>();
        for (int i = 0; i < rungs.size(); i++) {
            Rung rung = rungs.get(i);
            boolean feedsProgressive = i == progressiveIndex;
            RungEncoder rungEncoder = owner.own(new RungEncoder(rung, rung.name(), encoders[i], playlists[i], 0,
                    feedsProgressive ? progressive : null, feedsProgressive ? progressiveVideoStream : -1,
                    settings.keyframeIntervalSeconds(), abort));
            rungEncoders.add(rungEncoder);
            if (av1Encoders[i] != null) {
                RungEncoder variant = owner.own(new RungEncoder(av1.variantOf(rung), Av1Ladder.directoryName(rung),
                        av1Encoders[i], av1Playlists[i], 0, null, -1, settings.keyframeIntervalSeconds(), abort));
                rungEncoder.alsoFeed(variant);
                av1Variants.add(variant);
            }
        }
        return new Outputs(rungEncoders, av1Variants, progressive);
    }

    /** The HLS media playlist {@code name/playlist.m3u8} of one encoder, started. */
    private Muxer hlsPlaylist(NativeOwner owner, Path outputDirectory, String name, Encoder encoder) {
        Muxer playlist = owner.own(Muxer.hls(directory(outputDirectory, name), settings.keyframeIntervalSeconds()));
        playlist.addStream(encoder);
        playlist.start();
        return playlist;
    }

    /** Every picture size encoded: the rungs, then their AV1 variants. */
    private List<Rung> withAv1Variants(List<Rung> rungs) {
        List<Rung> encoded = new ArrayList<>(rungs);
        rungs.stream().filter(settings.av1()::covers).map(settings.av1()::variantOf).forEach(encoded::add);
        return encoded;
    }

    /** The largest rung at or below {@code largestLabel}, else the smallest rung. */
    private static int pick(List<Rung> rungs, int largestLabel) {
        for (int i = 0; i < rungs.size(); i++) {
            if (rungs.get(i).label() <= largestLabel) {
                return i;
            }
        }
        return rungs.size() - 1;
    }

    /** Past a fade-in: 10% into the source, at least 1 s (or half of a shorter source), at most a minute. */
    private static double posterSeconds(SourceInfo info) {
        double duration = info.durationSeconds();
        if (duration <= 0) {
            return 1;
        }
        return Math.min(Math.max(duration * 0.1, Math.min(1, duration / 2)), 60);
    }

    private int decoderThreads() {
        int cap = settings.limits().maxDecoderThreads();
        return settings.threads() == 0 ? Math.min(cap, Runtime.getRuntime().availableProcessors())
                : Math.min(cap, settings.threads());
    }

    /** A file cut short (an interrupted upload) still demuxes, up to where it ends: that is no success. */
    private static void refuseCutShort(double encodedSeconds, double announcedSeconds) {
        double missing = announcedSeconds - encodedSeconds;
        if (missing > MISSING_SECONDS_TOLERATED && missing > announcedSeconds * MISSING_SHARE_TOLERATED) {
            throw new TranscodeFailure(FailureCode.CORRUPT_INPUT, String.format(Locale.ROOT,
                    "The source's video stops after %.1f s of the %.1f s it announces: the file is truncated or "
                            + "damaged", encodedSeconds, announcedSeconds));
        }
    }

    static Path directory(Path outputDirectory, String name) {
        try {
            return Files.createDirectories(outputDirectory.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + outputDirectory.resolve(name), e);
        }
    }
}
