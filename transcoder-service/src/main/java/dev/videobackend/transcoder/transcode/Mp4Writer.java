package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * A progressive MP4 file with its index at the front, so that playback starts before the download ends.
 * Packets are written as references: the caller keeps its packet, and one audio packet can go to every rung.
 */
final class Mp4Writer implements AutoCloseable {

    private final Path file;
    private final AVFormatContext context;
    private final AVPacket scratch = av_packet_alloc();
    private final List<AVRational> encoderTimeBases = new ArrayList<>();
    private AVRational[] streamTimeBases;
    private long[] firstPts;
    private long[] endPts;

    Mp4Writer(Path file) {
        this.file = file;
        AVFormatContext allocated = new AVFormatContext(null);
        Ffmpeg.check(avformat_alloc_output_context2(allocated, null, "mp4", file.toString()), "create " + file);
        this.context = allocated;
    }

    /** Adds a stream fed by {@code encoder}; returns its index. */
    int addStream(Encoder encoder) {
        AVStream stream = avformat_new_stream(context, null);
        Ffmpeg.check(avcodec_parameters_from_context(stream.codecpar(), encoder.context()), "describe a stream");
        stream.time_base(encoder.context().time_base());
        encoderTimeBases.add(encoder.context().time_base());
        return stream.index();
    }

    void start() {
        AVIOContext io = new AVIOContext(null);
        Ffmpeg.check(avio_open(io, file.toString(), AVIO_FLAG_WRITE), "create " + file);
        context.pb(io);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "movflags", "+faststart", 0);
        try {
            Ffmpeg.check(avformat_write_header(context, options), "start " + file);
        } finally {
            av_dict_free(options);
        }
        int streams = context.nb_streams();
        streamTimeBases = new AVRational[streams];
        firstPts = new long[streams];
        endPts = new long[streams];
        for (int i = 0; i < streams; i++) {
            // The muxer picks its own time scale in avformat_write_header.
            streamTimeBases[i] = context.streams(i).time_base();
            firstPts[i] = Long.MAX_VALUE;
            endPts[i] = Long.MIN_VALUE;
        }
    }

    /** Writes a reference to {@code packet}, whose timestamps are in its encoder's time base. */
    void write(AVPacket packet, int streamIndex) {
        Ffmpeg.check(av_packet_ref(scratch, packet), "reference a packet");
        scratch.stream_index(streamIndex);
        av_packet_rescale_ts(scratch, encoderTimeBases.get(streamIndex), streamTimeBases[streamIndex]);
        firstPts[streamIndex] = Math.min(firstPts[streamIndex], scratch.pts());
        endPts[streamIndex] = Math.max(endPts[streamIndex], scratch.pts() + scratch.duration());
        // av_interleaved_write_frame takes the reference and leaves scratch blank.
        Ffmpeg.check(av_interleaved_write_frame(context, scratch), "write " + file);
    }

    void finish() {
        Ffmpeg.check(av_write_trailer(context), "finish " + file);
    }

    /** From the earliest first timestamp to the latest end, over all streams. */
    double durationSeconds() {
        double start = Double.MAX_VALUE;
        double end = 0;
        for (int i = 0; i < streamTimeBases.length; i++) {
            if (endPts[i] == Long.MIN_VALUE) {
                continue;
            }
            double timeBase = av_q2d(streamTimeBases[i]);
            start = Math.min(start, firstPts[i] * timeBase);
            end = Math.max(end, endPts[i] * timeBase);
        }
        return start == Double.MAX_VALUE ? 0 : end - start;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        if (context.pb() != null) {
            avio_closep(context.pb());
        }
        avformat_free_context(context);
        av_packet_free(scratch);
    }
}
