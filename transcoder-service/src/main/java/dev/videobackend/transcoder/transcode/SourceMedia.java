package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * The demuxer of an untrusted source: opened through the {@code file} protocol only and with an allow-list of
 * demuxers, so that a playlist or a concat script dressed up as a video cannot make FFmpeg open anything else.
 */
final class SourceMedia implements AutoCloseable {

    private final AVFormatContext context;
    private final int videoStream;
    private final int audioStream;

    private SourceMedia(AVFormatContext context, int videoStream, int audioStream) {
        this.context = context;
        this.videoStream = videoStream;
        this.audioStream = audioStream;
    }

    static SourceMedia open(Path file, List<String> allowedFormats) {
        if (!Files.isRegularFile(file)) {
            throw new TranscodeFailure(FailureCode.SOURCE_NOT_FOUND, "The source file is missing: " + file.getFileName());
        }
        AVFormatContext context = avformat_alloc_context();
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "protocol_whitelist", "file", 0);
        av_dict_set(options, "format_whitelist", String.join(",", allowedFormats), 0);
        try {
            // On failure avformat_open_input frees the context itself.
            Ffmpeg.check(avformat_open_input(context, "file:" + file.toAbsolutePath(), null, options),
                    FailureCode.CORRUPT_INPUT, "open the source as media");
        } finally {
            av_dict_free(options);
        }
        try {
            Ffmpeg.check(avformat_find_stream_info(context, (PointerPointer<?>) null), FailureCode.CORRUPT_INPUT,
                    "read the stream information of the source");
            int video = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
            if (video < 0) {
                throw new TranscodeFailure(FailureCode.NO_VIDEO_STREAM, "The source has no video stream");
            }
            int audio = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, video, (PointerPointer<?>) null, 0);
            return new SourceMedia(context, video, Math.max(audio, -1));
        } catch (RuntimeException e) {
            avformat_close_input(context);
            throw e;
        }
    }

    SourceInfo info() {
        AVStream video = stream(videoStream);
        AVCodecParameters parameters = video.codecpar();
        AVRational aspect = guessSampleAspectRatio();
        AVRational frameRate = guessFrameRate();
        BytePointer pixelFormat = av_get_pix_fmt_name(parameters.format());
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
                audioStream < 0 ? null : avcodec_get_name(stream(audioStream).codecpar().codec_id()).getString());
    }

    /** The video's frame rate as FFmpeg best guesses it from stream and container. */
    AVRational guessFrameRate() {
        return av_guess_frame_rate(context, stream(videoStream), null);
    }

    AVRational guessSampleAspectRatio() {
        return av_guess_sample_aspect_ratio(context, stream(videoStream), null);
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
        Ffmpeg.check(result, FailureCode.CORRUPT_INPUT, "read the source");
        return true;
    }

    @Override
    public void close() {
        avformat_close_input(context);
    }
}
