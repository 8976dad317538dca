package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_EXPLODE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.AV_DICT_IGNORE_SUFFIX;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_count;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

/**
 * One encoder: H.264 through OpenH264 or x264 (GPL natives only), AV1 through SVT-AV1, FFmpeg's native AAC, or
 * MJPEG for the poster.
 * Always with global headers, as the MP4 family of containers wants them.
 */
final class Encoder implements AutoCloseable {

    private final AVCodecContext context;
    private final String codecName;
    /** Duration of one frame in the encoder's time base, for packets whose encoder leaves it unset (OpenH264). */
    private final long frameDuration;

    private Encoder(AVCodecContext context, String codecName, long frameDuration) {
        this.context = context;
        this.codecName = codecName;
        this.frameDuration = frameDuration;
    }

    /**
     * The rung's H.264 encoder. Keyframes come where the pipeline forces them, at the same instants on every rung;
     * {@code gopFrames} is only the longest gap either encoder would leave on its own. No B-frames, with x264 too:
     * their reordering delay would start each fMP4 segment's video two frames after its audio, as the HLS muxer
     * shifts decoding times to zero (docs/ladder.md).
     */
    static Encoder h264(int width, int height, AVRational timeBase, AVRational frameRate, long bitRate, int gopFrames,
            int threads, VideoEncoding encoding) {
        AVCodec codec = require(encoding.encoder().codecName());
        AVCodecContext context = allocate(codec);
        context.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P)
                .time_base(timeBase).framerate(frameRate)
                .bit_rate(bitRate).rc_max_rate(bitRate * 3 / 2)
                .gop_size(gopFrames).max_b_frames(0)
                .thread_count(threads);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("profile", "high");
        switch (encoding.encoder()) {
            case OPENH264 -> options.put("coder", "cabac");
            case X264 -> {
                // x264 ignores a peak rate without a buffer: two seconds of the rung's bitrate.
                context.rc_buffer_size(Math.toIntExact(Math.min(Integer.MAX_VALUE, bitRate * 2)));
                if (encoding.rateControl() == VideoEncoding.RateControl.CAPPED_CRF) {
                    // A constant quality, the rung's bitrate as its ceiling rather than its target, with a buffer
                    // of one second so that hard content stays near the cap even over a short clip.
                    context.bit_rate(0).rc_max_rate(bitRate).rc_buffer_size(Math.toIntExact(bitRate));
                    options.put("crf", String.format(Locale.ROOT, "%.1f", encoding.crf()));
                }
                options.put("preset", encoding.x264Preset().x264Name());
                // A forced keyframe is an IDR frame, and no scene cut adds one of x264's own: a keyframe on one
                // rung only would break the alignment players switch rungs at.
                options.put("forced-idr", "1");
                options.put("sc_threshold", "0");
            }
        }
        long frameDuration = av_rescale_q(1, av_inv_q(frameRate), timeBase);
        return open(context, codec, options, Math.max(frameDuration, 1));
    }

    /**
     * An AV1 variant's SVT-AV1 encoder, at a target bitrate (SVT-AV1's VBR). Keyframes come where the pipeline
     * forces them, as on the H.264 rungs (FFmpeg's wrapper makes a forced I picture an AV1 key frame, and closed
     * GOPs are its default); {@code gopFrames} is only the longest gap it would leave on its own.
     */
    static Encoder svtAv1(int width, int height, AVRational timeBase, AVRational frameRate, long bitRate,
            int gopFrames, int threads, Av1Ladder av1) {
        AVCodec codec = require("libsvtav1");
        AVCodecContext context = allocate(codec);
        context.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P)
                .time_base(timeBase).framerate(frameRate)
                .bit_rate(bitRate).gop_size(gopFrames)
                .thread_count(threads)
                // Without it the wrapper only warns about an svtav1-params key SVT-AV1 does not take, and goes on.
                .err_recognition(AV_EF_EXPLODE);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("preset", Integer.toString(av1.preset()));
        if (!av1.svtParams().isEmpty()) {
            options.put("svtav1-params", av1.svtParams());
        }
        long frameDuration = av_rescale_q(1, av_inv_q(frameRate), timeBase);
        return open(context, codec, options, Math.max(frameDuration, 1));
    }

    static Encoder aac(int sampleRate, int channels, long bitRate, AVRational timeBase) {
        AVCodec codec = require("aac");
        AVCodecContext context = allocate(codec);
        context.sample_fmt(AV_SAMPLE_FMT_FLTP).sample_rate(sampleRate).bit_rate(bitRate).time_base(timeBase);
        av_channel_layout_default(context.ch_layout(), channels);
        return open(context, codec, Map.of(), 0);
    }

    /** A JPEG still of full-range 4:2:0 frames, for the poster. */
    static Encoder jpeg(int width, int height) {
        AVCodec codec = require("mjpeg");
        AVCodecContext context = allocate(codec);
        context.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P).color_range(AVCOL_RANGE_JPEG)
                .time_base(av_make_q(1, 25))
                // A fixed quantiser of 3: a sharp still; a bitrate means nothing for one picture.
                .flags(AV_CODEC_FLAG_QSCALE).global_quality(3 * FF_QP2LAMBDA);
        return open(context, codec, Map.of(), 0);
    }

    private static AVCodec require(String name) {
        AVCodec codec = avcodec_find_encoder_by_name(name);
        if (codec == null) {
            throw new TranscodeFailure(FailureCode.INTERNAL, "This FFmpeg build has no " + name + " encoder");
        }
        return codec;
    }

    private static AVCodecContext allocate(AVCodec codec) {
        return Ffmpeg.allocated(avcodec_alloc_context3(codec), "the " + codec.name().getString() + " encoder");
    }

    /** Opens {@code context}, or frees it. */
    private static Encoder open(AVCodecContext context, AVCodec codec, Map<String, String> settings,
            long frameDuration) {
        context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        AVDictionary options = new AVDictionary(null);
        try {
            settings.forEach((key, value) -> Ffmpeg.check(av_dict_set(options, key, value, 0), "set " + key));
            Ffmpeg.check(avcodec_open2(context, codec, options), "open the " + codec.name().getString() + " encoder");
            // avcodec_open2 takes out what it used: what is left is a misspelt or unknown option.
            if (av_dict_count(options) > 0) {
                throw new TranscodeFailure(FailureCode.INTERNAL, "The " + codec.name().getString()
                        + " encoder has no option " + av_dict_get(options, "", null, AV_DICT_IGNORE_SUFFIX)
                                .key().getString());
            }
            return new Encoder(context, codec.name().getString(), frameDuration);
        } catch (Throwable e) {
            avcodec_free_context(context);
            throw e;
        } finally {
            av_dict_free(options);
        }
    }

    AVCodecContext context() {
        return context;
    }

    /** Samples per frame the encoder takes (AAC: 1024); 0 for video. */
    int frameSize() {
        return context.frame_size();
    }

    /** Sends a frame, or {@code null} to drain the encoder at the end. */
    void send(AVFrame frame) {
        Ffmpeg.check(avcodec_send_frame(context, frame), "encode with " + codecName);
    }

    /** Takes the next packet; {@code false} when the encoder needs more input or is drained. */
    boolean receive(AVPacket packet) {
        int result = avcodec_receive_packet(context, packet);
        if (result == AVERROR_EAGAIN() || result == AVERROR_EOF) {
            return false;
        }
        Ffmpeg.check(result, "encode with " + codecName);
        if (packet.duration() == 0 && frameDuration > 0) {
            packet.duration(frameDuration);
        }
        return true;
    }

    @Override
    public void close() {
        avcodec_free_context(context);
    }
}
