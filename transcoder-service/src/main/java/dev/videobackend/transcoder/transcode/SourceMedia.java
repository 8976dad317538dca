package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_PROGRESSIVE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_UNKNOWN;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_frame_rate;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_sample_aspect_ratio;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_describe;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * The demuxer of an untrusted source. Its container is identified from its first bytes ({@link FormatProbe}) and
 * must be on the allow-list; it is then opened with exactly that demuxer, through the {@code file} protocol only,
 * with bounded probing, so that a playlist or a concat script dressed up as a video cannot make FFmpeg open
 * anything else; its streams are decoded only with the decoders on the allow-list. An interrupt callback stops a
 * blocking read once the job's {@link AbortSignal} answers.
 */
final class SourceMedia implements AutoCloseable {

    /** Frame rates that differ by more than this between FFmpeg's two estimates mark a variable frame rate. */
    private static final double VARIABLE_RATE_TOLERANCE = 0.01;

    private final AVFormatContext context;
    /** Referenced by the native context: kept reachable as long as it lives (the job's PointerScope frees it). */
    private final InterruptCallback interrupt;
    private final AbortSignal abort;
    private final DecoderAllowList decoders;
    private final int videoStream;
    private final int audioStream;

    private SourceMedia(AVFormatContext context, InterruptCallback interrupt, AbortSignal abort,
            DecoderAllowList decoders, int videoStream, int audioStream) {
        this.context = context;
        this.interrupt = interrupt;
        this.abort = abort;
        this.decoders = decoders;
        this.videoStream = videoStream;
        this.audioStream = audioStream;
    }

    /** Answers FFmpeg's "should I stop?" while it blocks in a read: 1 once the job must end. */
    private static final class InterruptCallback extends AVIOInterruptCB.Callback_Pointer {
        private final AbortSignal abort;

        InterruptCallback(AbortSignal abort) {
            this.abort = abort;
        }

        @Override
        public int call(Pointer opaque) {
            return abort.abortReason() == null ? 0 : 1;
        }
    }

    /**
     * Opens {@code file} with a demuxer on {@code allowedFormats}; its streams may be decoded only with the decoders
     * on {@code allowedDecoders} ({@link DecoderAllowList}).
     */
    static SourceMedia open(Path file, List<String> allowedFormats, List<String> allowedDecoders, SourceLimits limits,
            AbortSignal abort) {
        if (!Files.isRegularFile(file)) {
            throw new TranscodeFailure(FailureCode.SOURCE_NOT_FOUND, "The source file is missing: " + file.getFileName());
        }
        AVInputFormat format = FormatProbe.identify(file, allowedFormats, limits.probeSizeBytes());
        DecoderAllowList decoders = new DecoderAllowList(allowedDecoders);
        InterruptCallback interrupt = new InterruptCallback(abort);
        AVFormatContext context = Ffmpeg.allocated(avformat_alloc_context(), "a demuxer");
        int opened;
        AVDictionary options = new AVDictionary(null);
        try {
            context.interrupt_callback().callback(interrupt);
            context.probesize(limits.probeSizeBytes());
            // In AV_TIME_BASE units: microseconds.
            context.max_analyze_duration(limits.analyzeDuration().toNanos() / 1000);
            Ffmpeg.check(av_dict_set(options, "protocol_whitelist", "file", 0), "set the protocol allow-list");
            Ffmpeg.check(av_dict_set(options, "format_whitelist", String.join(",", allowedFormats), 0),
                    "set the container allow-list");
            // Probing decodes a few frames: with no decoder off the allow-list.
            Ffmpeg.check(av_dict_set(options, "codec_whitelist", decoders.whitelist(), 0),
                    "set the decoder allow-list");
            // On failure avformat_open_input frees the context itself, and leaves NULL in its place.
            opened = avformat_open_input(context, "file:" + file.toAbsolutePath(), format, options);
        } catch (Throwable e) {
            // Safe on a context not (or no longer) open, and on the NULL a failed open leaves.
            avformat_close_input(context);
            throw e;
        } finally {
            av_dict_free(options);
        }
        // From here on the context holds the open file: every way out but success closes it.
        try {
            abort.checkNotAborted();
            Ffmpeg.check(opened, FailureCode.CORRUPT_INPUT, "open the source as media");
            int found = avformat_find_stream_info(context, (PointerPointer<?>) null);
            abort.checkNotAborted();
            Ffmpeg.check(found, FailureCode.CORRUPT_INPUT, "read the stream information of the source");
            int video = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
            if (video < 0) {
                throw new TranscodeFailure(FailureCode.NO_VIDEO_STREAM, "The source has no video stream");
            }
            AVCodecParameters picture = context.streams(video).codecpar();
            if (picture.width() <= 0 || picture.height() <= 0) {
                throw new TranscodeFailure(FailureCode.CORRUPT_INPUT, "The source's video stream has no picture size");
            }
            int audio = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, video, (PointerPointer<?>) null, 0);
            return new SourceMedia(context, interrupt, abort, decoders, video, Math.max(audio, -1));
        } catch (Throwable e) {
            avformat_close_input(context);
            throw e;
        }
    }

    /**
     * A decoder for stream {@code index}, if its codec is on the decoder allow-list; else {@code UNSUPPORTED_CODEC}.
     * An audio codec off the list fails the job too, rather than dropping the sound without a word. {@code maxPixels}
     * bounds the pictures FFmpeg allocates, whatever the stream says later on.
     */
    Decoder openDecoder(int index, int threads, long maxPixels) {
        return Decoder.open(stream(index), threads, maxPixels, decoders);
    }

    SourceInfo info() {
        AVStream video = stream(videoStream);
        AVCodecParameters parameters = video.codecpar();
        AVRational aspect = guessSampleAspectRatio();
        AVRational frameRate = averageFrameRate();
        BytePointer pixelFormat = av_get_pix_fmt_name(parameters.format());
        AVCodecParameters audio = audioStream < 0 ? null : stream(audioStream).codecpar();
        return new SourceInfo(
                context.iformat().name().getString(),
                durationSeconds(),
                parameters.width(),
                parameters.height(),
                aspect.num(),
                aspect.den(),
                frameRate.den() == 0 ? 0 : av_q2d(frameRate),
                avcodec_get_name(parameters.codec_id()).getString(),
                pixelFormat == null ? null : pixelFormat.getString(),
                audio == null ? null : avcodec_get_name(audio.codec_id()).getString(),
                rotation(parameters),
                parameters.field_order() != AV_FIELD_PROGRESSIVE && parameters.field_order() != AV_FIELD_UNKNOWN,
                variableFrameRate(video),
                audio == null ? null : channelLayout(audio),
                context.nb_streams());
    }

    /**
     * Clockwise display rotation from the stream's display matrix, snapped to a quarter turn (FFmpeg 8 keeps the
     * matrix in the codec parameters' side data; {@code av_display_rotation_get} answers counter-clockwise).
     */
    private static int rotation(AVCodecParameters parameters) {
        AVPacketSideData matrix = av_packet_side_data_get(parameters.coded_side_data(),
                parameters.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
        if (matrix == null || matrix.size() < 9 * 4) {
            return 0;
        }
        double counterClockwise = av_display_rotation_get(new IntPointer(matrix.data()));
        if (Double.isNaN(counterClockwise)) {
            return 0;
        }
        long quarterTurns = Math.round(-counterClockwise / 90);
        return (int) Math.floorMod(quarterTurns * 90, 360);
    }

    /** FFmpeg's two estimates disagree when frames are not evenly spaced. */
    private static boolean variableFrameRate(AVStream video) {
        AVRational real = video.r_frame_rate();
        AVRational average = video.avg_frame_rate();
        if (real.den() == 0 || average.den() == 0 || real.num() == 0 || average.num() == 0) {
            return false;
        }
        double ratio = av_q2d(real) / av_q2d(average);
        return Math.abs(ratio - 1) > VARIABLE_RATE_TOLERANCE;
    }

    private static String channelLayout(AVCodecParameters audio) {
        byte[] text = new byte[64];
        if (av_channel_layout_describe(audio.ch_layout(), text, text.length) < 0) {
            return audio.ch_layout().nb_channels() + " channels";
        }
        return Ffmpeg.cString(text);
    }

    /** The stream's average frame rate, or FFmpeg's best guess when the container does not tell. */
    AVRational averageFrameRate() {
        AVRational average = stream(videoStream).avg_frame_rate();
        return average.num() > 0 && average.den() > 0 ? average : guessFrameRate();
    }

    /** The video's frame rate as FFmpeg best guesses it from stream and container. */
    AVRational guessFrameRate() {
        return av_guess_frame_rate(context, stream(videoStream), null);
    }

    AVRational guessSampleAspectRatio() {
        return av_guess_sample_aspect_ratio(context, stream(videoStream), null);
    }

    /** How long the video stream says it lasts; the container's duration when it does not say. */
    double videoDurationSeconds() {
        AVStream video = stream(videoStream);
        return video.duration() == AV_NOPTS_VALUE || video.duration() <= 0 ? durationSeconds()
                : video.duration() * av_q2d(video.time_base());
    }

    private double durationSeconds() {
        if (context.duration() != AV_NOPTS_VALUE && context.duration() > 0) {
            return (double) context.duration() / AV_TIME_BASE;
        }
        AVStream video = stream(videoStream);
        return video.duration() == AV_NOPTS_VALUE ? 0 : video.duration() * av_q2d(video.time_base());
    }

    AVStream stream(int index) {
        return context.streams(index);
    }

    int videoStream() {
        return videoStream;
    }

    /** The audio stream's index, or -1 when there is none. */
    int audioStream() {
        return audioStream;
    }

    /** Reads the next packet; {@code false} at the end of the file. */
    boolean read(AVPacket packet) {
        int result = av_read_frame(context, packet);
        if (result == AVERROR_EOF) {
            return false;
        }
        if (result < 0) {
            // An interrupted read fails with AVERROR_EXIT: the abort's reason is the real one.
            abort.checkNotAborted();
        }
        Ffmpeg.check(result, FailureCode.CORRUPT_INPUT, "read the source");
        return true;
    }

    @Override
    public void close() {
        avformat_close_input(context);
    }
}
