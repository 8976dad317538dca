package dev.videobackend.infra.media;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntFunction;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CAP_VARIABLE_FRAME_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CONFIG_CHANNEL_LAYOUT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CONFIG_COLOR_RANGE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CONFIG_PIX_FORMAT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CONFIG_SAMPLE_FORMAT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CONFIG_SAMPLE_RATE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_new;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_supported_config;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_ch_layout;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_color_range;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_format;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame_rate;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_h;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_sample_aspect_ratio;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_sample_rate;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_time_base;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_w;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_set_frame_size;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_create_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse2;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse_ptr;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_pad_get_type;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_codec;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_describe;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_color_range_name;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_iterate;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_get_sample_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strdup;

/**
 * Runs an {@link FfmpegCommand} in this process, as the {@code ffmpeg} executable would, through libavfilter,
 * libavcodec and libavformat (never libavdevice, hence no system library): each libavfilter input is filtered
 * ({@code -vf}, {@code -af}, then what {@code -s}, {@code -r}, {@code -t}, {@code -frames:v}, {@code -pix_fmt},
 * {@code -ar}, {@code -ac} and the encoder's accepted formats ask for), encoded and muxed; a file input with
 * {@code -c copy} is copied into the new container. Frames are encoded as the filters deliver them, with their
 * timestamps ({@code -fps_mode passthrough}); streams are interleaved by time.
 */
final class MediaWriter {

    private static final int DISPLAY_MATRIX_BYTES = 9 * Integer.BYTES;
    private static final int LAYOUT_TEXT_SIZE = 128;

    private MediaWriter() {
    }

    static void write(FfmpegCommand command, Path target) {
        Ffmpeg.quietLogs();
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the directory of " + target, e);
        }
        try (PointerScope scope = new PointerScope(); OutputFile output = new OutputFile(command.output(), target)) {
            if (command.output().copies()) {
                copy(command, output);
            } else {
                encode(command, output);
            }
        }
    }

    /** {@code -i FILE -c copy}: every video and audio stream of the file, packets unchanged. */
    private static void copy(FfmpegCommand command, OutputFile output) {
        if (command.inputs().size() != 1 || command.inputs().get(0).filterGraph()) {
            throw new IllegalArgumentException("-c copy takes exactly one input file");
        }
        FfmpegCommand.Input input = command.inputs().get(0);
        AVFormatContext source = new AVFormatContext(null);
        Ffmpeg.check(avformat_open_input(source, input.source(), null, (AVDictionary) null), "open " + input.source());
        AVPacket packet = null;
        try {
            packet = Ffmpeg.allocated(av_packet_alloc(), "a packet");
            Ffmpeg.check(avformat_find_stream_info(source, (PointerPointer<?>) null), "read " + input.source());
            AVStream[] copies = new AVStream[source.nb_streams()];
            for (int i = 0; i < source.nb_streams(); i++) {
                AVCodecParameters parameters = source.streams(i).codecpar();
                if (parameters.codec_type() != AVMEDIA_TYPE_VIDEO && parameters.codec_type() != AVMEDIA_TYPE_AUDIO) {
                    continue;
                }
                AVStream copy = output.newStream();
                Ffmpeg.check(avcodec_parameters_copy(copy.codecpar(), parameters), "copy the stream parameters");
                copy.codecpar().codec_tag(0);
                copy.time_base(source.streams(i).time_base());
                if (parameters.codec_type() == AVMEDIA_TYPE_VIDEO && input.displayRotation() != null) {
                    addDisplayRotation(copy.codecpar(), input.displayRotation());
                }
                copies[i] = copy;
            }
            FfmpegCommand.Output options = command.output();
            if (!options.videoOptions().isEmpty() || !options.audioOptions().isEmpty()) {
                throw new IllegalArgumentException("-c copy encodes nothing: no encoder option applies");
            }
            refuseUnused(options, List.of(output.start(options.sharedOptions().keySet())));
            while (true) {
                int read = av_read_frame(source, packet);
                if (read == AVERROR_EOF) {
                    break;
                }
                Ffmpeg.check(read, "read " + input.source());
                AVStream copy = copies[packet.stream_index()];
                if (copy != null) {
                    av_packet_rescale_ts(packet, source.streams(packet.stream_index()).time_base(), copy.time_base());
                    packet.stream_index(copy.index());
                    packet.pos(-1);
                    output.write(packet);
                }
                av_packet_unref(packet);
            }
            output.finish();
        } finally {
            if (packet != null) {
                av_packet_free(packet);
            }
            avformat_close_input(source);
        }
    }

    /**
     * The display matrix {@code -display_rotation} gives (ffmpeg sets a clockwise rotation by minus the angle, the
     * option being counter-clockwise), in the stream's side data, where muxers such as MP4's look for it.
     */
    private static void addDisplayRotation(AVCodecParameters parameters, double counterClockwiseDegrees) {
        PointerPointer<AVPacketSideData> sideData = new PointerPointer<>(1);
        sideData.put(parameters.coded_side_data());
        IntPointer count = new IntPointer(1).put(parameters.nb_coded_side_data());
        AVPacketSideData added = Ffmpeg.allocated(av_packet_side_data_new(sideData, count,
                AV_PKT_DATA_DISPLAYMATRIX, DISPLAY_MATRIX_BYTES, 0), "a display matrix");
        parameters.coded_side_data(sideData.get(AVPacketSideData.class, 0));
        parameters.nb_coded_side_data(count.get());
        av_display_rotation_set(new IntPointer(added.data()), -counterClockwiseDegrees);
    }

    /** Filters, encodes and muxes the first video and the first audio of the libavfilter inputs. */
    private static void encode(FfmpegCommand command, OutputFile output) {
        FfmpegCommand.Output options = command.output();
        List<EncodedStream> streams = new ArrayList<>();
        AVPacket packet = null;
        AVFrame frame = null;
        try {
            packet = Ffmpeg.allocated(av_packet_alloc(), "a packet");
            frame = Ffmpeg.allocated(av_frame_alloc(), "a frame");
            String video = firstGraphOf(command, AVMEDIA_TYPE_VIDEO);
            String audio = options.noAudio() ? null : firstGraphOf(command, AVMEDIA_TYPE_AUDIO);
            if (video != null && output.takes(AVMEDIA_TYPE_VIDEO, options.videoCodec())) {
                streams.add(EncodedStream.video(video, options, output));
            }
            if (audio != null && output.takes(AVMEDIA_TYPE_AUDIO, options.audioCodec())) {
                streams.add(EncodedStream.audio(audio, options, output));
            }
            if (streams.isEmpty()) {
                throw new IllegalArgumentException("No input stream the output can hold");
            }
            List<Set<String>> used = new ArrayList<>();
            streams.forEach(stream -> used.add(stream.usedOptions()));
            used.add(output.start(options.sharedOptions().keySet()));
            refuseUnused(options, used);
            interleave(streams, frame, packet, options.shortest(), output);
            output.finish();
        } finally {
            streams.forEach(EncodedStream::close);
            if (frame != null) {
                av_frame_free(frame);
            }
            if (packet != null) {
                av_packet_free(packet);
            }
        }
    }

    /** Pulls from whichever stream is behind, so that the muxer receives the streams interleaved. */
    private static void interleave(List<EncodedStream> streams, AVFrame frame, AVPacket packet, boolean shortest,
            OutputFile output) {
        List<EncodedStream> open = new ArrayList<>(streams);
        while (!open.isEmpty()) {
            EncodedStream behind = open.get(0);
            for (EncodedStream stream : open) {
                if (stream.isBehind(behind)) {
                    behind = stream;
                }
            }
            if (behind.encodeNext(frame, packet, output)) {
                continue;
            }
            open.remove(behind);
            if (shortest) {
                open.forEach(stream -> stream.flush(packet, output));
                open.clear();
            }
        }
    }

    /** An option no encoder and not the muxer took is a mistake in the command: ffmpeg fails on it too. */
    private static void refuseUnused(FfmpegCommand.Output options, List<Set<String>> usedByEach) {
        Set<String> unused = new TreeSet<>(options.sharedOptions().keySet());
        unused.addAll(options.videoOptions().keySet());
        unused.addAll(options.audioOptions().keySet());
        usedByEach.forEach(unused::removeAll);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("No encoder and not the muxer took the option -"
                    + String.join(", -", unused));
        }
    }

    /** The first libavfilter input whose output is of this type; a file input is only for {@code -c copy}. */
    private static String firstGraphOf(FfmpegCommand command, int mediaType) {
        for (FfmpegCommand.Input input : command.inputs()) {
            if (!input.filterGraph()) {
                throw new IllegalArgumentException("Only -c copy reads a file input (" + input.source()
                        + "); make sources with -f lavfi");
            }
            if (outputType(input.source()) == mediaType) {
                return input.source();
            }
        }
        return null;
    }

    private static int outputType(String graphDescription) {
        AVFilterGraph graph = avfilter_graph_alloc();
        AVFilterInOut inputs = new AVFilterInOut(null);
        AVFilterInOut outputs = new AVFilterInOut(null);
        try {
            Ffmpeg.check(avfilter_graph_parse2(graph, graphDescription, inputs, outputs), "parse " + graphDescription);
            if (outputs.isNull() || !inputs.isNull() || !Ffmpeg.isNull(outputs.next())) {
                throw new IllegalArgumentException("An input graph needs no input and exactly one output: "
                        + graphDescription);
            }
            return avfilter_pad_get_type(outputs.filter_ctx().output_pads(), outputs.pad_idx());
        } finally {
            avfilter_inout_free(inputs);
            avfilter_inout_free(outputs);
            avfilter_graph_free(graph);
        }
    }

    /** The output file: its muxer, its streams, and the file itself once started. */
    private static final class OutputFile implements AutoCloseable {

        private final Path target;
        private final AVFormatContext context;
        private final Map<String, String> muxerOptions;

        OutputFile(FfmpegCommand.Output options, Path target) {
            this.target = target;
            AVFormatContext allocated = new AVFormatContext(null);
            Ffmpeg.check(avformat_alloc_output_context2(allocated, null, options.format(), target.toString()),
                    "find a muxer for " + (options.format() != null ? options.format() : target));
            this.context = allocated;
            this.muxerOptions = options.sharedOptions();
        }

        /** Whether the output gets a stream of this type: a codec was named for it, or the muxer has a default. */
        boolean takes(int mediaType, String codecName) {
            return codecName != null || defaultCodec(mediaType) != 0;
        }

        int defaultCodec(int mediaType) {
            return av_guess_codec(context.oformat(), (String) null, target.toString(), null, mediaType);
        }

        boolean wantsGlobalHeaders() {
            return (context.oformat().flags() & AVFMT_GLOBALHEADER) != 0;
        }

        AVStream newStream() {
            return Ffmpeg.allocated(avformat_new_stream(context, null), "a stream of " + target);
        }

        /**
         * Opens the file and writes the header with the muxer's options; returns those of {@code offered} that the
         * muxer took.
         */
        Set<String> start(Set<String> offered) {
            if ((context.oformat().flags() & AVFMT_NOFILE) == 0) {
                AVIOContext io = new AVIOContext(null);
                Ffmpeg.check(avio_open(io, target.toString(), AVIO_FLAG_WRITE), "open " + target);
                context.pb(io);
            }
            AVDictionary options = dictionary(muxerOptions);
            try {
                Ffmpeg.check(avformat_write_header(context, options), "write the header of " + target);
                Set<String> used = new HashSet<>(offered);
                used.removeAll(keys(options));
                return used;
            } finally {
                av_dict_free(options);
            }
        }

        void write(AVPacket packet) {
            Ffmpeg.check(av_interleaved_write_frame(context, packet), "write a packet to " + target);
        }

        void finish() {
            Ffmpeg.check(av_write_trailer(context), "finish " + target);
        }

        @Override
        public void close() {
            if ((context.oformat().flags() & AVFMT_NOFILE) == 0 && context.pb() != null) {
                avio_closep(context.pb());
            }
            avformat_free_context(context);
        }
    }

    /** One output stream: its filter graph ending in a sink, its encoder, and where it stands. */
    private static final class EncodedStream {

        private final int mediaType;
        private final AVFilterGraph graph;
        private AVFilterContext sink;
        private AVCodecContext encoder;
        private AVStream stream;
        private AVRational sinkTimeBase;
        private long frameDuration;
        private long lastPts;
        private Set<String> usedOptions;

        private EncodedStream(int mediaType) {
            this.mediaType = mediaType;
            this.graph = Ffmpeg.allocated(avfilter_graph_alloc(), "a filter graph");
        }

        static EncodedStream video(String input, FfmpegCommand.Output options, OutputFile output) {
            EncodedStream stream = new EncodedStream(AVMEDIA_TYPE_VIDEO);
            try {
                AVCodec codec = stream.findEncoder(options.videoCodec(), output);
                List<String> chain = new ArrayList<>(List.of(input));
                chain.addAll(options.videoFilters());
                if (options.duration() != null) {
                    chain.add(String.format(Locale.ROOT, "trim=duration=%f", options.duration()));
                }
                if (options.videoFrames() != null) {
                    chain.add("trim=end_frame=" + options.videoFrames());
                }
                chain.add(options.pixelFormat() != null ? "format=pix_fmts=" + options.pixelFormat()
                        : pixelFormatsOf(codec));
                stream.configure(chain, "buffersink");
                stream.openVideoEncoder(codec, options, output);
                return stream;
            } catch (RuntimeException e) {
                stream.close();
                throw e;
            }
        }

        static EncodedStream audio(String input, FfmpegCommand.Output options, OutputFile output) {
            EncodedStream stream = new EncodedStream(AVMEDIA_TYPE_AUDIO);
            try {
                AVCodec codec = stream.findEncoder(options.audioCodec(), output);
                List<String> chain = new ArrayList<>(List.of(input));
                chain.addAll(options.audioFilters());
                if (options.duration() != null) {
                    chain.add(String.format(Locale.ROOT, "atrim=duration=%f", options.duration()));
                }
                chain.add(sampleFormatsOf(codec, options.sampleRate(), options.channels()));
                stream.configure(chain, "abuffersink");
                stream.openAudioEncoder(codec, options, output);
                return stream;
            } catch (RuntimeException e) {
                stream.close();
                throw e;
            }
        }

        private AVCodec findEncoder(String name, OutputFile output) {
            AVCodec codec = name != null ? avcodec_find_encoder_by_name(name)
                    : avcodec_find_encoder(output.defaultCodec(mediaType));
            if (codec == null) {
                throw new IllegalArgumentException("This FFmpeg build has no encoder "
                        + (name != null ? name : "for the muxer's default codec"));
            }
            return codec;
        }

        /** {@code format=} with the pixel formats (and colour ranges) the encoder takes, as ffmpeg inserts it. */
        private static String pixelFormatsOf(AVCodec codec) {
            StringJoiner filter = new StringJoiner(":", "format=", "");
            String formats = supported(codec, AV_CODEC_CONFIG_PIX_FORMAT,
                    value -> intName(value, format -> av_get_pix_fmt_name(format)));
            String ranges = supported(codec, AV_CODEC_CONFIG_COLOR_RANGE,
                    value -> intName(value, range -> av_color_range_name(range)));
            if (formats != null) {
                filter.add("pix_fmts=" + formats);
            }
            if (ranges != null) {
                filter.add("color_ranges=" + ranges);
            }
            return formats == null && ranges == null ? "null" : filter.toString();
        }

        /** {@code aformat=} with what the encoder takes, or what {@code -ar} and {@code -ac} ask for. */
        private static String sampleFormatsOf(AVCodec codec, Integer sampleRate, Integer channels) {
            StringJoiner filter = new StringJoiner(":", "aformat=", "");
            filter.setEmptyValue("anull");
            String formats = supported(codec, AV_CODEC_CONFIG_SAMPLE_FORMAT,
                    value -> intName(value, format -> av_get_sample_fmt_name(format)));
            String rates = sampleRate != null ? sampleRate.toString()
                    : supported(codec, AV_CODEC_CONFIG_SAMPLE_RATE,
                            value -> Integer.toString(new IntPointer(value).get()));
            String layouts = channels != null ? defaultLayoutName(channels)
                    : supported(codec, AV_CODEC_CONFIG_CHANNEL_LAYOUT,
                            value -> layoutName(new AVChannelLayout(value)));
            if (formats != null) {
                filter.add("sample_fmts=" + formats);
            }
            if (rates != null) {
                filter.add("sample_rates=" + rates);
            }
            if (layouts != null) {
                filter.add("channel_layouts=" + layouts);
            }
            return filter.toString();
        }

        /** The encoder's accepted values of one kind, named and joined by {@code |}; {@code null}: any. */
        private static String supported(AVCodec codec, int kind, Function<Pointer, String> name) {
            PointerPointer<Pointer> values = new PointerPointer<>(1);
            IntPointer count = new IntPointer(1);
            Ffmpeg.check(avcodec_get_supported_config(null, codec, kind, 0, values, count),
                    "read what the encoder " + codec.name().getString() + " accepts");
            Pointer first = values.get();
            if (first == null || first.isNull() || count.get() == 0) {
                return null;
            }
            StringJoiner names = new StringJoiner("|");
            for (int i = 0; i < count.get(); i++) {
                names.add(name.apply(kind == AV_CODEC_CONFIG_CHANNEL_LAYOUT
                        ? new AVChannelLayout(first).getPointer(i) : new IntPointer(first).getPointer(i)));
            }
            return names.toString();
        }

        private static String intName(Pointer value, IntFunction<BytePointer> name) {
            return name.apply(new IntPointer(value).get()).getString();
        }

        private static String defaultLayoutName(int channels) {
            AVChannelLayout layout = new AVChannelLayout();
            av_channel_layout_default(layout, channels);
            try {
                return layoutName(layout);
            } finally {
                av_channel_layout_uninit(layout);
            }
        }

        private static String layoutName(AVChannelLayout layout) {
            byte[] text = new byte[LAYOUT_TEXT_SIZE];
            Ffmpeg.check(av_channel_layout_describe(layout, text, text.length), "describe a channel layout");
            return Ffmpeg.cString(text);
        }

        /** Builds {@code chain[out]} into the graph, ending in a sink of this type, and configures it. */
        private void configure(List<String> chain, String sinkName) {
            String description = String.join(",", chain) + "[out]";
            AVFilterContext created = new AVFilterContext(null);
            Ffmpeg.check(avfilter_graph_create_filter(created, avfilter_get_by_name(sinkName), "out", null, null,
                    graph), "create a " + sinkName);
            sink = created;
            AVFilterInOut sinkInput = Ffmpeg.allocated(avfilter_inout_alloc(), "a filter link");
            AVFilterInOut noOutputs = new AVFilterInOut(null);
            try {
                sinkInput.name(av_strdup(new BytePointer("out")));
                sinkInput.filter_ctx(sink);
                sinkInput.pad_idx(0);
                sinkInput.next(null);
                Ffmpeg.check(avfilter_graph_parse_ptr(graph, description, sinkInput, noOutputs, null),
                        "parse " + description);
            } finally {
                avfilter_inout_free(sinkInput);
                avfilter_inout_free(noOutputs);
            }
            Ffmpeg.check(avfilter_graph_config(graph, null), "configure " + description);
            sinkTimeBase = av_buffersink_get_time_base(sink);
        }

        private void openVideoEncoder(AVCodec codec, FfmpegCommand.Output options, OutputFile output) {
            encoder = allocate(codec);
            AVRational frameRate = av_buffersink_get_frame_rate(sink);
            // As ffmpeg: one tick per frame when the rate is known, so that MPEG-2 and MPEG-4 accept the time base.
            AVRational timeBase = frameRate.num() > 0 ? av_inv_q(frameRate) : sinkTimeBase;
            encoder.width(av_buffersink_get_w(sink)).height(av_buffersink_get_h(sink))
                    .pix_fmt(av_buffersink_get_format(sink))
                    .sample_aspect_ratio(av_buffersink_get_sample_aspect_ratio(sink))
                    .color_range(av_buffersink_get_color_range(sink))
                    .time_base(timeBase);
            if (frameRate.num() > 0) {
                encoder.framerate(frameRate);
                frameDuration = 1;
            }
            open(codec, output, options.videoOptions(), options.sharedOptions());
            stream.avg_frame_rate(frameRate);
        }

        private void openAudioEncoder(AVCodec codec, FfmpegCommand.Output options, OutputFile output) {
            encoder = allocate(codec);
            int sampleRate = av_buffersink_get_sample_rate(sink);
            encoder.sample_fmt(av_buffersink_get_format(sink)).sample_rate(sampleRate)
                    .time_base(new AVRational().num(1).den(sampleRate));
            Ffmpeg.check(av_buffersink_get_ch_layout(sink, encoder.ch_layout()), "read the channel layout");
            open(codec, output, options.audioOptions(), options.sharedOptions());
            if (encoder.frame_size() > 0 && (codec.capabilities() & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) == 0) {
                av_buffersink_set_frame_size(sink, encoder.frame_size());
            }
        }

        private static AVCodecContext allocate(AVCodec codec) {
            return Ffmpeg.allocated(avcodec_alloc_context3(codec), "the encoder " + codec.name().getString());
        }

        /** Opens the encoder with this stream's options and the shared ones, and adds its stream to the output. */
        private void open(AVCodec codec, OutputFile output, Map<String, String> own, Map<String, String> shared) {
            if (output.wantsGlobalHeaders()) {
                encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            }
            Map<String, String> options = new LinkedHashMap<>(shared);
            options.putAll(own);
            AVDictionary dictionary = dictionary(options);
            try {
                Ffmpeg.check(avcodec_open2(encoder, codec, dictionary), "open the encoder " + codec.name().getString()
                        + " with " + options);
                usedOptions = new HashSet<>(options.keySet());
                usedOptions.removeAll(keys(dictionary));
            } finally {
                av_dict_free(dictionary);
            }
            stream = output.newStream();
            Ffmpeg.check(avcodec_parameters_from_context(stream.codecpar(), encoder), "copy the encoder parameters");
            stream.time_base(encoder.time_base());
        }

        /** The options given to the encoder that it took. */
        Set<String> usedOptions() {
            return usedOptions;
        }

        boolean isBehind(EncodedStream other) {
            return av_compare_ts(lastPts, encoder.time_base(), other.lastPts, other.encoder.time_base()) < 0;
        }

        /** Encodes the next frame of the graph; false once the graph has ended and the encoder is flushed. */
        boolean encodeNext(AVFrame frame, AVPacket packet, OutputFile output) {
            int received = av_buffersink_get_frame(sink, frame);
            if (received == AVERROR_EOF) {
                flush(packet, output);
                return false;
            }
            Ffmpeg.check(received, "pull a filtered frame");
            try {
                frame.pts(av_rescale_q(frame.pts(), sinkTimeBase, encoder.time_base()));
                // Sources mark every frame a keyframe; as ffmpeg does, the encoder decides (-g, -force_key_frames).
                frame.pict_type(AV_PICTURE_TYPE_NONE);
                lastPts = frame.pts();
                send(frame, packet, output);
            } finally {
                av_frame_unref(frame);
            }
            return true;
        }

        void flush(AVPacket packet, OutputFile output) {
            send(null, packet, output);
        }

        private void send(AVFrame frame, AVPacket packet, OutputFile output) {
            Ffmpeg.check(avcodec_send_frame(encoder, frame), "send a frame to the encoder");
            while (true) {
                int received = avcodec_receive_packet(encoder, packet);
                if (received == AVERROR_EAGAIN() || received == AVERROR_EOF) {
                    return;
                }
                Ffmpeg.check(received, "encode");
                if (packet.duration() == 0 && frameDuration > 0) {
                    // Some encoders (libopenh264) leave it unset; without it a muxer shortens the last frame to nothing.
                    packet.duration(frameDuration);
                }
                packet.stream_index(stream.index());
                av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
                output.write(packet);
            }
        }

        void close() {
            if (encoder != null) {
                avcodec_free_context(encoder);
            }
            avfilter_graph_free(graph);
        }
    }

    private static AVDictionary dictionary(Map<String, String> entries) {
        AVDictionary dictionary = new AVDictionary(null);
        entries.forEach((key, value) -> Ffmpeg.check(av_dict_set(dictionary, key, value, 0), "set -" + key));
        return dictionary;
    }

    private static Set<String> keys(AVDictionary dictionary) {
        Set<String> keys = new HashSet<>();
        for (AVDictionaryEntry entry = av_dict_iterate(dictionary, null); entry != null;
                entry = av_dict_iterate(dictionary, entry)) {
            keys.add(entry.key().getString());
        }
        return keys;
    }
}
