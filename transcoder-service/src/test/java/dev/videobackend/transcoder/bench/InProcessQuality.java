package dev.videobackend.transcoder.bench;

import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_parse_ptr;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/**
 * PSNR, SSIM and XPSNR of a rendition against its source, with libavfilter in this process: one graph reads both
 * files ({@code movie}), scales the rendition back to the source's size (lanczos), and chains {@code psnr},
 * {@code ssim} and {@code xpsnr}, each writing its per-frame statistics to a file that is read afterwards. Both
 * sides are timed by their frame numbers: a lossless source in Matroska has millisecond timestamps (33, 67, 100 ms
 * at 30 fps) and a rendition exact ones, so by timestamp every third frame would meet its neighbour (a moving
 * picture then measures about 28 dB instead of 39).
 * PSNR is FFmpeg's summary figure (from the mean squared error over all frames and planes, 8 bits); SSIM the mean
 * of the frames' "All"; XPSNR the mean of the frames' luma XPSNR (dB).
 */
record InProcessQuality(double psnr, double ssim, double xpsnr) {

    private static final Pattern MSE = Pattern.compile("mse_avg:([0-9.]+)");
    private static final Pattern SSIM_ALL = Pattern.compile("All:([0-9.]+)");
    private static final Pattern XPSNR_Y = Pattern.compile("XPSNR y: *([0-9.]+|inf)");

    static InProcessQuality measure(Path rendition, Path source, int width, int height, int frameRate,
            Path statsDirectory) {
        Path psnrStats = statsDirectory.resolve("psnr.log");
        Path ssimStats = statsDirectory.resolve("ssim.log");
        Path xpsnrStats = statsDirectory.resolve("xpsnr.log");
        String graph = String.format(Locale.ROOT,
                "movie='%s',setpts=N/(%d*TB),scale=w=%d:h=%d:flags=lanczos,format=yuv420p,setsar=1[d];"
                        + "movie='%s',setpts=N/(%d*TB),format=yuv420p,setsar=1,split=3[r1][r2][r3];"
                        + "[d][r1]psnr=stats_file='%s'[p];[p][r2]ssim=stats_file='%s'[s];"
                        + "[s][r3]xpsnr=stats_file='%s',buffersink",
                rendition, frameRate, width, height, source, frameRate, psnrStats, ssimStats, xpsnrStats);
        run(graph);
        double meanSquaredError = column(psnrStats, MSE).stream().mapToDouble(Double::parseDouble).average()
                .orElseThrow();
        double psnr = 10 * Math.log10(255.0 * 255.0 / meanSquaredError);
        double ssim = column(ssimStats, SSIM_ALL).stream().mapToDouble(Double::parseDouble).average().orElseThrow();
        double xpsnr = column(xpsnrStats, XPSNR_Y).stream()
                .mapToDouble(value -> "inf".equals(value) ? 100 : Double.parseDouble(value)).average().orElseThrow();
        return new InProcessQuality(psnr, ssim, xpsnr);
    }

    /** Runs a closed graph that ends in one buffersink until its end. */
    private static void run(String description) {
        AVFilterGraph graph = avfilter_graph_alloc();
        AVFilterInOut inputs = new AVFilterInOut(null);
        AVFilterInOut outputs = new AVFilterInOut(null);
        AVFrame frame = av_frame_alloc();
        try {
            check(avfilter_graph_parse_ptr(graph, description, inputs, outputs, null), description);
            check(avfilter_graph_config(graph, null), description);
            AVFilterContext sink = null;
            for (int i = 0; i < graph.nb_filters(); i++) {
                if ("buffersink".equals(graph.filters(i).filter().name().getString())) {
                    sink = graph.filters(i);
                }
            }
            if (sink == null) {
                throw new IllegalStateException("No buffersink in " + description);
            }
            int result;
            while ((result = av_buffersink_get_frame(sink, frame)) >= 0) {
                av_frame_unref(frame);
            }
            if (result != AVERROR_EOF) {
                check(result, description);
            }
        } finally {
            av_frame_free(frame);
            avfilter_inout_free(inputs);
            avfilter_inout_free(outputs);
            avfilter_graph_free(graph);
        }
    }

    private static List<String> column(Path stats, Pattern pattern) {
        try {
            List<String> values = Files.readAllLines(stats).stream().map(pattern::matcher).filter(Matcher::find)
                    .map(matcher -> matcher.group(1)).toList();
            if (values.isEmpty()) {
                throw new IllegalStateException("No " + pattern + " in " + stats);
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + stats, e);
        }
    }

    private static void check(int result, String what) {
        if (result < 0) {
            byte[] text = new byte[256];
            av_strerror(result, text, text.length);
            throw new IllegalStateException("libavfilter failed (" + new String(text).trim() + ") on " + what);
        }
    }
}
