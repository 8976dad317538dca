package dev.videobackend.transcoder.transcode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The libavfilter description of the video half of a transcode. One chain normalises the decoded picture once:
 * deinterlaced when the source is interlaced, brought to the constant output frame rate, scaled to the largest
 * rung (before rotating, on fewer pixels), made 8-bit 4:2:0, rotated upright, pixels made square. Then each rung
 * is scaled from the next larger one (cascading: 720p from 1080p rather than from a 4K source), and one rung also
 * feeds two one-picture branches for the poster: the picture at the poster time and, should the source end
 * before it, the first picture. With a {@code storyboard}, one rung also feeds its sprite sheets
 * ({@link StoryboardPlan#filters()}).
 *
 * <p>Outputs: {@code [out0]} ... {@code [out<n-1>]} for the rungs, largest first; {@code [out<n>]} the poster
 * picture, {@code [out<n+1>]} the fallback poster, {@code [out<n+2>]} the storyboard's sheets, if any.
 */
record VideoFilters(SourceInfo source, FrameRate frameRate, List<Rung> rungs, int posterRung, double posterSeconds,
        StoryboardPlan storyboard) {

    int posterOutput() {
        return rungs.size();
    }

    int fallbackPosterOutput() {
        return rungs.size() + 1;
    }

    int storyboardOutput() {
        return rungs.size() + 2;
    }

    int outputs() {
        return rungs.size() + (storyboard == null ? 2 : 3);
    }

    String describe() {
        StringJoiner graph = new StringJoiner(";");
        graph.add("[in]" + String.join(",", normalise()) + "[t0]");
        for (int i = 0; i < rungs.size(); i++) {
            List<String> branches = new ArrayList<>();
            branches.add("out" + i);
            if (i + 1 < rungs.size()) {
                branches.add("c" + i);
            }
            if (i == posterRung) {
                branches.add("p");
            }
            if (storyboard != null && i == storyboard.rung()) {
                branches.add("s");
            }
            StringBuilder split = new StringBuilder("[t" + i + "]split=" + branches.size());
            branches.forEach(branch -> split.append('[').append(branch).append(']'));
            graph.add(split);
            if (i + 1 < rungs.size()) {
                Rung next = rungs.get(i + 1);
                graph.add(String.format(Locale.ROOT, "[c%d]scale=w=%d:h=%d:flags=bicubic,setsar=1[t%d]",
                        i, next.width(), next.height(), i + 1));
            }
        }
        String toJpegRange = "scale=out_range=full,format=yuv420p";
        graph.add("[p]split=2[pa][pb]");
        graph.add(String.format(Locale.ROOT, "[pa]select='gte(t-start_t,%.3f)',trim=end_frame=1,%s[out%d]",
                posterSeconds, toJpegRange, posterOutput()));
        graph.add(String.format(Locale.ROOT, "[pb]trim=end_frame=1,%s[out%d]", toJpegRange, fallbackPosterOutput()));
        if (storyboard != null) {
            graph.add("[s]" + storyboard.filters() + "[out" + storyboardOutput() + "]");
        }
        return graph.toString();
    }

    private List<String> normalise() {
        List<String> chain = new ArrayList<>();
        if (source.interlaced()) {
            // bwdif takes only pictures of the size it was set up with, and a broadcast stream may switch (1080i to
            // 720p): this scaler passes pictures of the source's size through untouched and brings any other size
            // back to it, field by field. Without deinterlacing, the frame-rate filter passes any size on and the
            // first scaler takes it.
            chain.add(String.format(Locale.ROOT, "scale=w=%d:h=%d:interl=1", source.width(), source.height()));
            // Field rate halved back to frame rate (send_frame); parity from the stream's flags.
            chain.add("bwdif=mode=send_frame:parity=auto:deint=all");
        }
        chain.add("fps=fps=" + frameRate.num() + "/" + frameRate.den());
        Rung top = rungs.get(0);
        int width = source.quarterTurn() ? top.height() : top.width();
        int height = source.quarterTurn() ? top.width() : top.height();
        chain.add(String.format(Locale.ROOT, "scale=w=%d:h=%d:flags=bicubic", width, height));
        chain.add("format=yuv420p");
        switch (source.rotation()) {
            case 90 -> chain.add("transpose=clock");
            case 180 -> chain.add("hflip,vflip");
            case 270 -> chain.add("transpose=cclock");
            default -> { }
        }
        chain.add("setsar=1");
        return chain;
    }
}
