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
import java.util.Locale;
import java.util.Map;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * One output file (or one HLS media playlist with its segments) written by an FFmpeg muxer. Packets are written
 * as references: the caller keeps its packet, so one encoded packet can go to several muxers. Writes are
 * serialised, as the progressive MP4 takes video from a rung's encoder thread and audio from the demuxing one.
 * Muxers open files through the {@code file} protocol only, and only the names given here.
 */
final class Muxer implements AutoCloseable {

    static final String PLAYLIST = "playlist.m3u8";
    static final String INIT_SEGMENT = "init.mp4";
    static final String SEGMENT_PATTERN = "segment-%05d.m4s";

    private final Path file;
    private final Map<String, String> options;
    /** The whole playlist of an HLS muxer, which keeps only a window of it; {@code null} for other muxers. */
    private final VodPlaylist vodPlaylist;
    private final AVFormatContext context;
    private final AVPacket scratch;
    private final List<AVRational> encoderTimeBases = new ArrayList<>();
    private AVRational[] streamTimeBases;
    private long[] firstPts;
    private long[] endPts;
    /** Per stream: only a keyframe can end a segment of video; any packet can end one of audio. */
    private boolean[] video;
    private boolean started;
    private boolean finished;

    private Muxer(Path file, String formatName, Map<String, String> options, VodPlaylist vodPlaylist) {
        this.file = file;
        this.options = options;
        this.vodPlaylist = vodPlaylist;
        AVFormatContext allocated = new AVFormatContext(null);
        Ffmpeg.check(avformat_alloc_output_context2(allocated, null, formatName, file.toString()), "create " + file);
        try {
            this.scratch = Ffmpeg.allocated(av_packet_alloc(), "a packet for " + file);
        } catch (Throwable e) {
            // Not yet anyone's to close.
            avformat_free_context(allocated);
            throw e;
        }
        this.context = allocated;
    }

    /** A progressive MP4 with its index at the front, so that playback starts before the download ends. */
    static Muxer progressiveMp4(Path file) {
        return new Muxer(file, "mp4", Map.of("movflags", "+faststart"), null);
    }

    /**
     * An HLS VOD media playlist {@code directory/playlist.m3u8} of fMP4 (CMAF) segments {@code segment-00001.m4s}
     * ... after an {@code init.mp4}, cut at the keyframe that follows each {@code segmentSeconds}. FFmpeg runs it as
     * a live playlist of a few segments, and {@link VodPlaylist} writes the VOD one: FFmpeg would hold every segment
     * in memory until the end.
     */
    static Muxer hls(Path directory, double segmentSeconds) {
        if (directory.toString().contains("%")) {
            // The segment name is a pattern, and FFmpeg's HLS muxer has no escape for a literal '%'.
            throw new TranscodeFailure(FailureCode.INTERNAL, "The output directory " + directory
                    + " contains a '%', which FFmpeg's HLS muxer would take for part of the segment name pattern");
        }
        String hlsTime = String.format(Locale.ROOT, "%.3f", segmentSeconds);
        Path playlist = directory.resolve(PLAYLIST);
        return new Muxer(playlist, "hls", Map.of(
                "hls_time", hlsTime,
                "hls_list_size", Integer.toString(VodPlaylist.WINDOW),
                "hls_segment_type", "fmp4",
                "hls_fmp4_init_filename", INIT_SEGMENT,
                "hls_segment_filename", directory.resolve(SEGMENT_PATTERN).toString(),
                "start_number", "1",
                "hls_flags", "independent_segments"), new VodPlaylist(playlist, Double.parseDouble(hlsTime)));
    }

    /** Adds a stream fed by {@code encoder}; returns its index. */
    int addStream(Encoder encoder) {
        AVStream stream = Ffmpeg.allocated(avformat_new_stream(context, null), "a stream of " + file);
        Ffmpeg.check(avcodec_parameters_from_context(stream.codecpar(), encoder.context()), "describe a stream");
        stream.time_base(encoder.context().time_base());
        encoderTimeBases.add(encoder.context().time_base());
        return stream.index();
    }

    void start() {
        if ((context.oformat().flags() & AVFMT_NOFILE) == 0) {
            AVIOContext io = new AVIOContext(null);
            Ffmpeg.check(avio_open(io, "file:" + file, AVIO_FLAG_WRITE), "create " + file);
            context.pb(io);
        }
        AVDictionary dictionary = new AVDictionary(null);
        try {
            // Segmenting muxers open their own files: through the file protocol only.
            Ffmpeg.check(av_dict_set(dictionary, "protocol_whitelist", "file", 0), "set the protocol allow-list");
            options.forEach((key, value) -> Ffmpeg.check(av_dict_set(dictionary, key, value, 0), "set " + key));
            Ffmpeg.check(avformat_write_header(context, dictionary), "start " + file);
            started = true;
        } finally {
            av_dict_free(dictionary);
        }
        int streams = context.nb_streams();
        streamTimeBases = new AVRational[streams];
        firstPts = new long[streams];
        endPts = new long[streams];
        video = new boolean[streams];
        for (int i = 0; i < streams; i++) {
            // The muxer picks its own time scale in avformat_write_header.
            streamTimeBases[i] = context.streams(i).time_base();
            firstPts[i] = Long.MAX_VALUE;
            endPts[i] = Long.MIN_VALUE;
            video[i] = context.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO;
        }
    }

    /** Writes a reference to {@code packet}, whose timestamps are in its encoder's time base. */
    synchronized void write(AVPacket packet, int streamIndex) {
        Ffmpeg.check(av_packet_ref(scratch, packet), "reference a packet");
        scratch.stream_index(streamIndex);
        av_packet_rescale_ts(scratch, encoderTimeBases.get(streamIndex), streamTimeBases[streamIndex]);
        firstPts[streamIndex] = Math.min(firstPts[streamIndex], scratch.pts());
        endPts[streamIndex] = Math.max(endPts[streamIndex], scratch.pts() + scratch.duration());
        long pts = scratch.pts();
        boolean mayEndSegment = !video[streamIndex] || (scratch.flags() & AV_PKT_FLAG_KEY) != 0;
        // av_interleaved_write_frame takes the reference and leaves scratch blank.
        Ffmpeg.check(av_interleaved_write_frame(context, scratch), "write " + file);
        if (vodPlaylist != null) {
            vodPlaylist.afterPacket(mayEndSegment,
                    (pts - firstPts[streamIndex]) * av_q2d(streamTimeBases[streamIndex]));
        }
    }

    synchronized void finish() {
        finished = true;
        Ffmpeg.check(av_write_trailer(context), "finish " + file);
        if (vodPlaylist != null) {
            vodPlaylist.write();
        }
    }

    /** From the earliest first timestamp to the latest end, over all streams. */
    synchronized double durationSeconds() {
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

    /** The file written; for HLS, the media playlist. */
    Path file() {
        return file;
    }

    @Override
    public void close() {
        if (started && !finished && vodPlaylist != null) {
            // A failed job: FFmpeg's HLS muxer closes the init segment or segment file it has open only in its
            // trailer (its deinit does not), which would keep the descriptor, and a full disk's blocks, until the
            // process exits. Whatever the trailer writes goes with the staging directory; its error is the job's
            // failure's consequence, not news.
            av_write_trailer(context);
        }
        if (context.pb() != null) {
            avio_closep(context.pb());
        }
        avformat_free_context(context);
        av_packet_free(scratch);
    }
}
