package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

/**
 * A JPEG decoded through the FFmpeg libraries in this process, straight from their API (not the service's
 * classes): its codec, size and luma plane, to measure what a region of the picture shows.
 */
record JpegPicture(String codec, int width, int height, byte[] luma) {

    static JpegPicture read(Path file) {
        AVFormatContext format = new AVFormatContext(null);
        assertThat(avformat_open_input(format, file.toAbsolutePath().toString(), null, (AVDictionary) null))
                .as("open %s", file).isZero();
        AVCodecContext decoder = null;
        AVPacket packet = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        try {
            assertThat(avformat_find_stream_info(format, (PointerPointer<?>) null)).isGreaterThanOrEqualTo(0);
            AVCodec codec = avcodec_find_decoder(format.streams(0).codecpar().codec_id());
            decoder = avcodec_alloc_context3(codec);
            assertThat(avcodec_parameters_to_context(decoder, format.streams(0).codecpar())).isGreaterThanOrEqualTo(0);
            assertThat(avcodec_open2(decoder, codec, (AVDictionary) null)).isZero();
            assertThat(av_read_frame(format, packet)).as("a picture in %s", file).isZero();
            assertThat(avcodec_send_packet(decoder, packet)).isZero();
            assertThat(avcodec_receive_frame(decoder, frame)).as("decode %s", file).isZero();
            int width = frame.width();
            int height = frame.height();
            byte[] luma = new byte[width * height];
            for (int y = 0; y < height; y++) {
                frame.data(0).position((long) y * frame.linesize(0)).get(luma, y * width, width);
            }
            return new JpegPicture(avcodec_get_name(decoder.codec_id()).getString(), width, height, luma);
        } finally {
            if (decoder != null) {
                avcodec_free_context(decoder);
            }
            av_frame_free(frame);
            av_packet_free(packet);
            avformat_close_input(format);
        }
    }

    /** The mean luma (0-255) of the rectangle, less a margin of {@code inset} pixels on every side. */
    double meanLuma(int x, int y, int w, int h, int inset) {
        long sum = 0;
        long count = 0;
        for (int row = y + inset; row < y + h - inset; row++) {
            for (int column = x + inset; column < x + w - inset; column++) {
                sum += luma[row * width + column] & 0xff;
                count++;
            }
        }
        return (double) sum / count;
    }
}
