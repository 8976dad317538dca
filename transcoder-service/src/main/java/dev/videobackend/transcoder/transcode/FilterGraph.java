package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

import java.util.Locale;

import static org.bytedeco.ffmpeg.global.avfilter.AV_BUFFERSINK_FLAG_NO_REQUEST;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame_flags;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame_rate;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_time_base;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_set_frame_size;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersrc_add_frame_flags;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_create_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse_ptr;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_describe;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_get_sample_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_strdup;

/**
 * A libavfilter graph with one source fed by a decoder and one or more sinks, e.g. a split into every rung's
 * scaler. Time bases and frame rates of the sinks are read once, when the graph is configured.
 */
final class FilterGraph implements AutoCloseable {

    private final AVFilterGraph graph;
    private final AVFilterContext source;
    private final AVFilterContext[] sinks;
    private final AVRational[] timeBases;
    private final AVRational[] frameRates;

    private FilterGraph(AVFilterGraph graph, AVFilterContext source, AVFilterContext[] sinks) {
        this.graph = graph;
        this.source = source;
        this.sinks = sinks;
        this.timeBases = new AVRational[sinks.length];
        this.frameRates = new AVRational[sinks.length];
        for (int i = 0; i < sinks.length; i++) {
            timeBases[i] = av_buffersink_get_time_base(sinks[i]);
            frameRates[i] = av_buffersink_get_frame_rate(sinks[i]);
        }
    }

    /**
     * A video graph: {@code description} reads the label {@code [in]} and writes {@code [out0]} to
     * {@code [out<outputs-1>]}.
     */
    static FilterGraph video(AVCodecContext decoder, AVRational timeBase, AVRational frameRate,
            AVRational sampleAspect, String description, int outputs) {
        String arguments = String.format(Locale.ROOT,
                "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d",
                decoder.width(), decoder.height(), decoder.pix_fmt(), timeBase.num(), timeBase.den(),
                Math.max(sampleAspect.num(), 1), Math.max(sampleAspect.den(), 1));
        if (frameRate.num() > 0 && frameRate.den() > 0) {
            arguments += ":frame_rate=" + frameRate.num() + "/" + frameRate.den();
        }
        return build("buffer", arguments, "buffersink", description, outputs);
    }

    /**
     * An audio graph: {@code description} reads {@code [in]} and writes {@code [out0]}; decoded frames carry
     * timestamps in the stream's {@code timeBase}.
     */
    static FilterGraph audio(AVCodecContext decoder, AVRational timeBase, String description) {
        String arguments = String.format(Locale.ROOT, "time_base=%d/%d:sample_rate=%d:sample_fmt=%s:channel_layout=%s",
                timeBase.num(), timeBase.den(), decoder.sample_rate(),
                av_get_sample_fmt_name(decoder.sample_fmt()).getString(), channelLayout(decoder));
        return build("abuffer", arguments, "abuffersink", description, 1);
    }

    private static String channelLayout(AVCodecContext decoder) {
        AVChannelLayout layout = decoder.ch_layout();
        AVChannelLayout known = new AVChannelLayout();
        try {
            if (layout.order() == AV_CHANNEL_ORDER_UNSPEC) {
                av_channel_layout_default(known, layout.nb_channels());
                layout = known;
            }
            byte[] text = new byte[64];
            Ffmpeg.check(av_channel_layout_describe(layout, text, text.length), "describe the channel layout");
            return Ffmpeg.cString(text);
        } finally {
            av_channel_layout_uninit(known);
        }
    }

    private static FilterGraph build(String sourceName, String sourceArguments, String sinkName, String description,
            int outputs) {
        AVFilterGraph graph = Ffmpeg.allocated(avfilter_graph_alloc(), "a filter graph");
        // Not part of the graph: freed here on every path, whichever filter fails to be created. Empty lists, not
        // null: JavaCPP would hand avfilter_inout_free a NULL list pointer, which it does not check.
        AVFilterInOut sinkInputs = new AVFilterInOut(null);
        AVFilterInOut sourceOutput = new AVFilterInOut(null);
        try {
            AVFilterContext source = new AVFilterContext(null);
            Ffmpeg.check(avfilter_graph_create_filter(source, avfilter_get_by_name(sourceName), "in",
                    sourceArguments, null, graph), "create the " + sourceName + " source (" + sourceArguments + ")");
            sourceOutput = inOut("in", source, null);
            AVFilterContext[] sinks = new AVFilterContext[outputs];
            for (int i = outputs - 1; i >= 0; i--) {
                sinks[i] = new AVFilterContext(null);
                Ffmpeg.check(avfilter_graph_create_filter(sinks[i], avfilter_get_by_name(sinkName), "out" + i,
                        null, null, graph), "create the " + sinkName);
                sinkInputs = inOut("out" + i, sinks[i], sinkInputs);
            }
            Ffmpeg.check(avfilter_graph_parse_ptr(graph, description, sinkInputs, sourceOutput, null),
                    "parse the filter graph " + description);
            Ffmpeg.check(avfilter_graph_config(graph, null), "configure the filter graph " + description);
            return new FilterGraph(graph, source, sinks);
        } catch (Throwable e) {
            avfilter_graph_free(graph);
            throw e;
        } finally {
            // avfilter_graph_parse_ptr leaves in them what it did not link.
            avfilter_inout_free(sinkInputs);
            avfilter_inout_free(sourceOutput);
        }
    }

    /** A list element naming {@code filter}'s first pad, in front of {@code next}, which stays the caller's. */
    private static AVFilterInOut inOut(String label, AVFilterContext filter, AVFilterInOut next) {
        AVFilterInOut inOut = Ffmpeg.allocated(avfilter_inout_alloc(), "a filter link");
        BytePointer name = av_strdup(new BytePointer(label));
        if (name == null) {
            avfilter_inout_free(inOut);
            throw new TranscodeFailure(FailureCode.INTERNAL, "Could not allocate a filter link's name: out of memory");
        }
        inOut.name(name);
        inOut.filter_ctx(filter);
        inOut.pad_idx(0);
        inOut.next(next);
        return inOut;
    }

    /** Makes every frame of the audio output hold exactly {@code samples} samples, but the last: AAC takes 1024. */
    void fixFrameSize(int samples) {
        av_buffersink_set_frame_size(sinks[0], samples);
    }

    /** Hands a decoded frame to the graph, which takes its reference; {@code null} ends the input. */
    void push(AVFrame frame) {
        Ffmpeg.check(av_buffersrc_add_frame_flags(source, frame, 0), "filter a frame");
    }

    /**
     * Takes the next filtered frame of {@code output}, running the graph until it has one; {@code false} when it has
     * none for now or for good. Running the graph feeds every other output as well: a frame that one input frame
     * becomes many of (the frame-rate filter filling a gap) reaches every output once per run.
     */
    boolean pull(int output, AVFrame frame) {
        return taken(av_buffersink_get_frame(sinks[output], frame));
    }

    /** Takes a frame {@code output} already holds, without running the graph: pulling other outputs fills it. */
    boolean take(int output, AVFrame frame) {
        return taken(av_buffersink_get_frame_flags(sinks[output], frame, AV_BUFFERSINK_FLAG_NO_REQUEST));
    }

    private static boolean taken(int result) {
        if (result == AVERROR_EAGAIN() || result == AVERROR_EOF) {
            return false;
        }
        Ffmpeg.check(result, "take a filtered frame");
        return true;
    }

    AVRational timeBase(int output) {
        return timeBases[output];
    }

    AVRational frameRate(int output) {
        return frameRates[output];
    }

    @Override
    public void close() {
        avfilter_graph_free(graph);
    }
}
