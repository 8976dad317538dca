package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

/** Decodes one stream of the source. A few damaged packets are skipped, as players do; many fail the job. */
final class Decoder implements AutoCloseable {

    private static final int MAX_DAMAGED_PACKETS = 50;

    private final AVCodecContext context;
    private int damagedPackets;

    private Decoder(AVCodecContext context) {
        this.context = context;
    }

    /**
     * Opens the decoder of {@code stream}, which must be on {@code allowed}: else {@code UNSUPPORTED_CODEC}.
     * {@code maxPixels}: FFmpeg refuses to allocate a larger picture, whatever the stream says later on.
     */
    static Decoder open(AVStream stream, int threads, long maxPixels, DecoderAllowList allowed) {
        AVCodec codec = allowed.decoderFor(stream.codecpar());
        String name = codec.name().getString();
        AVCodecContext context = Ffmpeg.allocated(avcodec_alloc_context3(codec), "the " + name + " decoder");
        AVDictionary options = new AVDictionary(null);
        try {
            Ffmpeg.check(avcodec_parameters_to_context(context, stream.codecpar()), "configure the decoder");
            context.pkt_timebase(stream.time_base());
            context.thread_count(threads);
            context.max_pixels(maxPixels);
            // FFmpeg checks the allow-list too: the decoder it opens is the one we chose, or none.
            Ffmpeg.check(av_dict_set(options, "codec_whitelist", allowed.whitelist(), 0), "set the decoder allow-list");
            Ffmpeg.check(avcodec_open2(context, codec, options), FailureCode.UNSUPPORTED_CODEC,
                    "open the " + name + " decoder");
            return new Decoder(context);
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

    /** Sends a packet, or {@code null} to drain the decoder at the end of the stream. */
    void send(AVPacket packet) {
        int result = avcodec_send_packet(context, packet);
        if (result == AVERROR_INVALIDDATA && ++damagedPackets <= MAX_DAMAGED_PACKETS) {
            return;
        }
        Ffmpeg.check(result, FailureCode.CORRUPT_INPUT, "decode the source");
    }

    /** Takes the next decoded frame into {@code frame}; {@code false} when the decoder needs more input or is done. */
    boolean receive(AVFrame frame) {
        int result = avcodec_receive_frame(context, frame);
        if (result == AVERROR_EAGAIN() || result == AVERROR_EOF) {
            return false;
        }
        if (result == AVERROR_INVALIDDATA && ++damagedPackets <= MAX_DAMAGED_PACKETS) {
            return false;
        }
        Ffmpeg.check(result, FailureCode.CORRUPT_INPUT, "decode the source");
        frame.pts(frame.best_effort_timestamp());
        return true;
    }

    @Override
    public void close() {
        avcodec_free_context(context);
    }
}
