package dev.videobackend.infra.media;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_time_base;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_set_frame_size;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_create_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse_ptr;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strdup;

/**
 * Writes a synthetic H.264/AAC MP4 test clip (libavfilter's {@code testsrc2} pattern and a {@code sine} tone)
 * through the FFmpeg bindings, in this process: the tests and the demo need a real upload without shipping
 * media files and without the {@code ffmpeg} executable.
 */
public final class SampleClip {

    private static final int AAC_FRAME_SIZE = 1024;
    private static final int AUDIO_SAMPLE_RATE = 48_000;

    /** What to generate. */
    public record Spec(int width, int height, int frameRate, double durationSeconds, boolean withAudio) {

        public Spec {
            if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("Width and height must be even and at least 16: " + width + "x" + height);
            }
            if (frameRate < 1 || durationSeconds <= 0) {
                throw new IllegalArgumentException("Frame rate and duration must be positive");
            }
        }

        /** A 640x360, 30 fps clip with a stereo tone. */
        public static Spec standard(double durationSeconds) {
            return new Spec(640, 360, 30, durationSeconds, true);
        }

        int videoBitRate() {
            return Math.max(200_000, width * height * frameRate / 8);
        }
    }

    private SampleClip() {
    }

    /** Writes the clip described by {@code spec} to {@code target} (an {@code .mp4} file). */
    public static Path write(Spec spec, Path target) {
        try (PointerScope scope = new PointerScope()) {
            new Writer(spec, target).run();
        }
        return target;
    }

    /** One generation run; frees every native object it allocated when {@link #run()} returns or throws. */
    private static final class Writer {
        private final Spec spec;
        private final Path target;
        private AVFilterGraph graph;
        private AVFormatContext output;
        private AVCodecContext videoEncoder;
        private AVCodecContext audioEncoder;
        private AVFrame frame;
        private AVPacket packet;
        private long videoFrameDuration;

        Writer(Spec spec, Path target) {
            this.spec = spec;
            this.target = target;
        }

        void run() {
            try {
                Files.createDirectories(target.toAbsolutePath().getParent());
                frame = Ffmpeg.allocated(av_frame_alloc(), "a frame");
                packet = Ffmpeg.allocated(av_packet_alloc(), "a packet");
                AVFilterContext[] sinks = buildGraph();
                AVRational videoTimeBase = av_buffersink_get_time_base(sinks[0]);
                AVRational audioTimeBase = spec.withAudio() ? av_buffersink_get_time_base(sinks[1]) : null;
                openOutput(videoTimeBase, audioTimeBase);
                generate(sinks, videoTimeBase, audioTimeBase);
                Ffmpeg.check(av_write_trailer(output), "finish " + target);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create the directory of " + target, e);
            } finally {
                release();
            }
        }

        private AVFilterContext[] buildGraph() {
            graph = Ffmpeg.allocated(avfilter_graph_alloc(), "a filter graph");
            String description = String.format(Locale.ROOT,
                    "testsrc2=size=%dx%d:rate=%d:duration=%.3f,format=yuv420p[video]",
                    spec.width(), spec.height(), spec.frameRate(), spec.durationSeconds());
            AVFilterContext videoSink;
            AVFilterContext audioSink = null;
            // Not part of the graph: freed here whichever sink fails to be created. Empty lists, not null: JavaCPP
            // would hand avfilter_inout_free a NULL list pointer, which it does not check.
            AVFilterInOut sinkInputs = new AVFilterInOut(null);
            AVFilterInOut noOutputs = new AVFilterInOut(null);
            try {
                videoSink = createSink("buffersink", "video");
                sinkInputs = inOut("video", videoSink, sinkInputs);
                if (spec.withAudio()) {
                    description += String.format(Locale.ROOT,
                            ";sine=frequency=440:beep_factor=4:sample_rate=%d:duration=%.3f,"
                                    + "aformat=sample_fmts=fltp:channel_layouts=stereo[audio]",
                            AUDIO_SAMPLE_RATE, spec.durationSeconds());
                    audioSink = createSink("abuffersink", "audio");
                    sinkInputs = inOut("audio", audioSink, sinkInputs);
                }
                Ffmpeg.check(avfilter_graph_parse_ptr(graph, description, sinkInputs, noOutputs, null), "parse " + description);
            } finally {
                avfilter_inout_free(sinkInputs);
                avfilter_inout_free(noOutputs);
            }
            Ffmpeg.check(avfilter_graph_config(graph, null), "configure the test pattern graph");
            if (audioSink != null) {
                // The AAC encoder takes exactly 1024 samples per frame.
                av_buffersink_set_frame_size(audioSink, AAC_FRAME_SIZE);
            }
            return new AVFilterContext[] {videoSink, audioSink};
        }

        private AVFilterContext createSink(String filterName, String instanceName) {
            AVFilterContext sink = new AVFilterContext(null);
            Ffmpeg.check(avfilter_graph_create_filter(sink, avfilter_get_by_name(filterName), instanceName, null, null, graph),
                    "create " + filterName);
            return sink;
        }

        /** A list element naming {@code filter}'s first pad, in front of {@code next}, which stays the caller's. */
        private static AVFilterInOut inOut(String label, AVFilterContext filter, AVFilterInOut next) {
            AVFilterInOut inOut = Ffmpeg.allocated(avfilter_inout_alloc(), "a filter link");
            BytePointer name = av_strdup(new BytePointer(label));
            if (Ffmpeg.isNull(name)) {
                avfilter_inout_free(inOut);
                throw new IllegalStateException("Could not allocate a filter link's name");
            }
            inOut.name(name);
            inOut.filter_ctx(filter);
            inOut.pad_idx(0);
            inOut.next(next);
            return inOut;
        }

        private void openOutput(AVRational videoTimeBase, AVRational audioTimeBase) {
            AVFormatContext context = new AVFormatContext(null);
            Ffmpeg.check(avformat_alloc_output_context2(context, null, "mp4", target.toString()), "create " + target);
            output = context;
            boolean globalHeader = (output.oformat().flags() & AVFMT_GLOBALHEADER) != 0;

            AVCodec h264 = requireEncoder("libopenh264");
            videoEncoder = Ffmpeg.allocated(avcodec_alloc_context3(h264), "the libopenh264 encoder");
            videoEncoder.width(spec.width()).height(spec.height()).pix_fmt(AV_PIX_FMT_YUV420P)
                    .time_base(videoTimeBase).framerate(new AVRational().num(spec.frameRate()).den(1))
                    .bit_rate(spec.videoBitRate()).gop_size(spec.frameRate()).max_b_frames(0);
            openEncoder(videoEncoder, h264, globalHeader);
            videoFrameDuration = av_rescale_q(1, av_inv_q(videoEncoder.framerate()), videoTimeBase);
            addStream(videoEncoder);

            if (audioTimeBase != null) {
                AVCodec aac = requireEncoder("aac");
                audioEncoder = Ffmpeg.allocated(avcodec_alloc_context3(aac), "the aac encoder");
                audioEncoder.sample_fmt(AV_SAMPLE_FMT_FLTP).sample_rate(AUDIO_SAMPLE_RATE).bit_rate(128_000)
                        .time_base(audioTimeBase);
                av_channel_layout_default(audioEncoder.ch_layout(), 2);
                openEncoder(audioEncoder, aac, globalHeader);
                addStream(audioEncoder);
            }

            AVIOContext io = new AVIOContext(null);
            Ffmpeg.check(avio_open(io, target.toString(), AVIO_FLAG_WRITE), "open " + target);
            output.pb(io);
            AVDictionary options = new AVDictionary(null);
            try {
                Ffmpeg.check(av_dict_set(options, "movflags", "+faststart", 0), "set movflags");
                Ffmpeg.check(avformat_write_header(output, options), "write the header of " + target);
            } finally {
                av_dict_free(options);
            }
        }

        private static AVCodec requireEncoder(String name) {
            AVCodec codec = avcodec_find_encoder_by_name(name);
            if (codec == null) {
                throw new IllegalStateException("This FFmpeg build has no " + name + " encoder");
            }
            return codec;
        }

        private static void openEncoder(AVCodecContext encoder, AVCodec codec, boolean globalHeader) {
            if (globalHeader) {
                encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            }
            Ffmpeg.check(avcodec_open2(encoder, codec, (AVDictionary) null), "open the " + codec.name().getString() + " encoder");
        }

        private void addStream(AVCodecContext encoder) {
            AVStream stream = Ffmpeg.allocated(avformat_new_stream(output, null), "a stream of " + target);
            Ffmpeg.check(avcodec_parameters_from_context(stream.codecpar(), encoder), "copy encoder parameters");
            stream.time_base(encoder.time_base());
        }

        /** Pulls from whichever sink is behind, so that the muxer receives the streams interleaved. */
        private void generate(AVFilterContext[] sinks, AVRational videoTimeBase, AVRational audioTimeBase) {
            boolean videoOpen = true;
            boolean audioOpen = audioTimeBase != null;
            long videoPts = 0;
            long audioPts = 0;
            while (videoOpen || audioOpen) {
                boolean takeVideo = videoOpen
                        && (!audioOpen || av_compare_ts(videoPts, videoTimeBase, audioPts, audioTimeBase) <= 0);
                int streamIndex = takeVideo ? 0 : 1;
                AVCodecContext encoder = takeVideo ? videoEncoder : audioEncoder;
                int received = av_buffersink_get_frame(sinks[streamIndex], frame);
                if (received == AVERROR_EOF) {
                    encode(encoder, null, streamIndex);
                    if (takeVideo) {
                        videoOpen = false;
                    } else {
                        audioOpen = false;
                    }
                    continue;
                }
                Ffmpeg.check(received, "pull a generated frame");
                if (takeVideo) {
                    videoPts = frame.pts();
                } else {
                    audioPts = frame.pts();
                }
                encode(encoder, frame, streamIndex);
                av_frame_unref(frame);
            }
        }

        private void encode(AVCodecContext encoder, AVFrame input, int streamIndex) {
            Ffmpeg.check(avcodec_send_frame(encoder, input), "send a frame to the encoder");
            AVStream stream = output.streams(streamIndex);
            while (true) {
                int received = avcodec_receive_packet(encoder, packet);
                if (received == AVERROR_EAGAIN() || received == AVERROR_EOF) {
                    return;
                }
                Ffmpeg.check(received, "encode");
                packet.stream_index(streamIndex);
                if (packet.duration() == 0 && encoder == videoEncoder) {
                    // libopenh264 leaves the duration unset; without it the muxer shortens the last frame to nothing.
                    packet.duration(videoFrameDuration);
                }
                av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
                Ffmpeg.check(av_interleaved_write_frame(output, packet), "write a packet to " + target);
            }
        }

        private void release() {
            if (output != null) {
                if (output.pb() != null) {
                    avio_closep(output.pb());
                }
                avformat_free_context(output);
            }
            if (videoEncoder != null) {
                avcodec_free_context(videoEncoder);
            }
            if (audioEncoder != null) {
                avcodec_free_context(audioEncoder);
            }
            if (frame != null) {
                av_frame_free(frame);
            }
            if (packet != null) {
                av_packet_free(packet);
            }
            if (graph != null) {
                avfilter_graph_free(graph);
            }
        }
    }
}
