package dev.videobackend.infra.media;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

/**
 * Decodes every video frame of a file through the FFmpeg libraries, in this process: proof that a file plays,
 * which reading its headers alone is not.
 */
public final class DecodeCheck {

    /** What decoding found. */
    public record Decoded(String container, String videoCodec, int width, int height, long frames,
            double durationSeconds) {
    }

    private DecodeCheck() {
    }

    public static Decoded decode(Path file) {
        try (PointerScope scope = new PointerScope()) {
            AVFormatContext format = new AVFormatContext(null);
            Ffmpeg.check(avformat_open_input(format, file.toAbsolutePath().toString(), null, (AVDictionary) null),
                    "open " + file);
            AVCodecContext decoder = null;
            AVPacket packet = av_packet_alloc();
            AVFrame frame = av_frame_alloc();
            try {
                Ffmpeg.check(avformat_find_stream_info(format, (PointerPointer<?>) null), "read " + file);
                int index = Ffmpeg.check(av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1,
                        (PointerPointer<?>) null, 0), "find a video stream in " + file);
                AVStream stream = format.streams(index);
                AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
                decoder = avcodec_alloc_context3(codec);
                Ffmpeg.check(avcodec_parameters_to_context(decoder, stream.codecpar()), "configure the decoder");
                Ffmpeg.check(avcodec_open2(decoder, codec, (AVDictionary) null), "open the decoder");
                long frames = 0;
                while (av_read_frame(format, packet) >= 0) {
                    if (packet.stream_index() == index) {
                        Ffmpeg.check(avcodec_send_packet(decoder, packet), "decode " + file);
                        frames += drain(decoder, frame);
                    }
                    av_packet_unref(packet);
                }
                avcodec_send_packet(decoder, null);
                frames += drain(decoder, frame);
                return new Decoded(format.iformat().name().getString(),
                        avcodec_get_name(stream.codecpar().codec_id()).getString(),
                        decoder.width(), decoder.height(), frames, (double) format.duration() / AV_TIME_BASE);
            } finally {
                if (decoder != null) {
                    avcodec_free_context(decoder);
                }
                av_frame_free(frame);
                av_packet_free(packet);
                avformat_close_input(format);
            }
        }
    }

    private static long drain(AVCodecContext decoder, AVFrame frame) {
        long frames = 0;
        while (true) {
            int result = avcodec_receive_frame(decoder, frame);
            if (result == AVERROR_EAGAIN() || result == AVERROR_EOF) {
                return frames;
            }
            Ffmpeg.check(result, "decode a frame");
            frames++;
        }
    }
}
