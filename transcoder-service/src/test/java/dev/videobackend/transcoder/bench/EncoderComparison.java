package dev.videobackend.transcoder.bench;

import dev.videobackend.transcoder.transcode.Av1Ladder;
import dev.videobackend.transcoder.transcode.LadderTranscoder;
import dev.videobackend.transcoder.transcode.VideoEncoder;
import dev.videobackend.transcoder.transcode.VideoEncoding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * {@code -Dbench.suite=encoders}: every encoder and mode this build has, side by side in one run, on three kinds of
 * generated content (static slides with text, a moderate-motion scene, high-motion noise), each at several rate
 * points ({@link RatePoint}, {@code -Dbench.points}). Per configuration and point: wall time, CPU time and peak
 * resident memory of the in-process ladder; per rung: the bitrate written and PSNR, SSIM and XPSNR against the
 * source ({@link InProcessQuality}). Then each configuration's BD-rate against OpenH264 at fixed bitrates
 * ({@link BjontegaardDelta}), per content and rung, by XPSNR and by PSNR. {@code -Dbench.configurations} and
 * {@code -Dbench.contents} pick a subset (e.g. one AV1 configuration alone, to read a fresh JVM's peak memory).
 * Writes {@code <bench.dir>/encoders.md}.
 */
final class EncoderComparison {

    /** The generated contents: a lossless source each (FFV1 in Matroska), no audio. */
    enum Content {
        SLIDES("static slides with text, a new slide every 3 s"),
        MODERATE("moderate motion: testsrc2 with light grain"),
        NOISE("high motion and noise: testsrc2 blended with Perlin noise, scrolling, heavy grain");

        private final String description;

        Content(String description) {
            this.description = description;
        }

        String filter(BenchParameters p) {
            int w = p.width();
            int h = p.height();
            int r = p.frameRate();
            return switch (this) {
                case SLIDES -> {
                    String font = "fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fontcolor=0x202040";
                    StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                            "color=c=0xf4f4f0:s=%dx%d:r=%d,drawtext=%s:fontsize=%d:x=%d:y=%d"
                                    + ":text='Quarterly review, part %%{eif\\:trunc(t/3)+1\\:d}'",
                            w, h, r, font, h / 12, w / 12, h / 10));
                    for (int line = 1; line <= 5; line++) {
                        text.append(String.format(Locale.ROOT, ",drawtext=%s:fontsize=%d:x=%d:y=%d"
                                        + ":text='- Item %%{eif\\:trunc(t/3)*5+%d\\:d} - figures for region %d, "
                                        + "up %%{eif\\:mod(trunc(t/3)*7+%d,19)\\:d} percent'",
                                font, h / 22, w / 10, h / 10 + h / 8 + line * h / 11, line, line, line * 3));
                    }
                    yield text.toString();
                }
                case MODERATE -> String.format(Locale.ROOT, "testsrc2=s=%dx%d:r=%d,noise=c0s=4:c0f=t", w, h, r);
                case NOISE -> String.format(Locale.ROOT,
                        "testsrc2=s=%dx%d:r=%d,format=yuv420p[a];perlin=s=%dx%d:r=%d:octaves=5:tscale=1.5"
                                + ":random_mode=seed:seed=3,format=yuv420p[b];[a][b]blend=all_mode=average,"
                                + "scroll=h=0.01:v=0.006,noise=alls=24:allf=t+u",
                        w, h, r, w, h, r);
            };
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One way of encoding the ladder, measured at every rate point: an H.264 encoding, or AV1 variants (whose
     * H.264 rungs are those of {@code openh264 fixed} at the same point, and not measured again).
     *
     * @param id what {@code -Dbench.configurations} selects it by
     */
    record Configuration(String id, String label, VideoEncoding video, Av1Ladder av1) {

        /** The encoding at {@code point}: capped CRF takes the point's CRF, with the point's scaled cap. */
        VideoEncoding videoAt(RatePoint point) {
            return video.rateControl() == VideoEncoding.RateControl.CAPPED_CRF
                    ? new VideoEncoding(video.encoder(), video.x264Preset(), video.rateControl(), point.crf())
                    : video;
        }

        String codec() {
            return av1.enabled() ? "av1" : "h264";
        }
    }

    /**
     * The {@code index}-th of the rate points every configuration is measured at: the rungs' bitrates times
     * {@code scale} (the target in fixed mode, the cap in capped CRF, the H.264 bitrate an AV1 variant takes its
     * share of), and in capped CRF the constant rate factor {@code crf}, lower at the higher scales.
     */
    record RatePoint(int index, double scale, double crf) {

        /**
         * {@code count} points in half-octave steps of bitrate, with the rungs' own bitrates the second highest
         * (four points: 0.5, 0.71, 1.0, 1.41), and CRFs 4 apart with 23, the service's default, at scale 1 (31, 27,
         * 23, 19). Capped CRF moves both its knobs together: with the cap fixed, hard content hits it at every CRF
         * (no curve); with the CRF fixed, easy content never reaches the cap (no curve either).
         */
        static List<RatePoint> of(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("bench.points must be at least 1, got " + count);
            }
            int unit = Math.max(0, count - 2);
            List<RatePoint> points = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                points.add(new RatePoint(i, Math.pow(2, (i - unit) / 2.0), DEFAULT_CRF + 4 * (unit - i)));
            }
            return points;
        }

        String label() {
            return String.format(Locale.ROOT, "%.2fx", scale);
        }
    }

    record Cost(Content content, Configuration configuration, RatePoint point, Measurement measurement) {
    }

    record RungQuality(Content content, Configuration configuration, RatePoint point, int rung, long bitrate,
            InProcessQuality quality) {
    }

    private static final double DEFAULT_CRF = 23;
    /** Percentage points between the fitted and the interpolated BD-rate beyond which the report marks both. */
    private static final int DISAGREEMENT = 5;
    /** The configuration every other is compared with: the service's default. */
    private static final String REFERENCE = "openh264 fixed";

    private final BenchParameters parameters;
    private final int av1Preset = Integer.parseInt(System.getProperty("bench.av1-preset", "10"));
    /**
     * The AV1 variants' share of the H.264 rung's bitrate: 1 puts AV1's points at the H.264 points' bitrates, so
     * that the curves share as wide a range of quality as they can.
     */
    private final double av1Ratio = Double.parseDouble(System.getProperty("bench.av1-ratio", "1.0"));
    /**
     * The SVT-AV1 memory settings to compare, {@code lp:lookahead} each ({@code 0}: SVT-AV1 picks the level of
     * parallelism; {@code -1}: its default lookahead): by default the service's, and SVT-AV1's own.
     */
    private final List<String> av1Settings = list(System.getProperty("bench.av1-svt", String.format(Locale.ROOT,
            "%d:%d,0:%d", InProcessLadder.defaultAv1().levelOfParallelism(), InProcessLadder.defaultAv1().lookahead(),
            Av1Ladder.SVT_DEFAULT)));
    private final List<RatePoint> points = RatePoint.of(Integer.parseInt(System.getProperty("bench.points", "4")));
    /** The ids of the configurations to run; all by default. */
    private final List<String> selected = list(System.getProperty("bench.configurations", ""));
    private final List<Content> contents = list(System.getProperty("bench.contents", "slides,moderate,noise"))
            .stream().map(name -> Content.valueOf(name.toUpperCase(Locale.ROOT))).toList();

    EncoderComparison(BenchParameters parameters) {
        this.parameters = parameters;
    }

    List<Configuration> configurations() {
        List<Configuration> configurations = new ArrayList<>();
        configurations.add(new Configuration("openh264", REFERENCE, VideoEncoding.OPENH264, Av1Ladder.OFF));
        if (VideoEncoder.X264.available()) {
            configurations.add(new Configuration("x264-fixed", "x264 veryfast fixed", new VideoEncoding(
                    VideoEncoder.X264, VideoEncoding.X264Preset.VERYFAST, VideoEncoding.RateControl.FIXED,
                    DEFAULT_CRF), Av1Ladder.OFF));
            configurations.add(new Configuration("x264-crf", "x264 veryfast capped-crf", new VideoEncoding(
                    VideoEncoder.X264, VideoEncoding.X264Preset.VERYFAST, VideoEncoding.RateControl.CAPPED_CRF,
                    DEFAULT_CRF), Av1Ladder.OFF));
        }
        int largest = Collections.max(parameters.heights());
        for (String setting : av1Settings) {
            String[] parts = setting.split(":");
            int lp = Integer.parseInt(parts[0]);
            int lookahead = Integer.parseInt(parts[1]);
            configurations.add(new Configuration("av1-lp" + lp + "-la" + lookahead, String.format(Locale.ROOT,
                    "AV1 preset %d at %.2f, lp %s, lookahead %s", av1Preset, av1Ratio, lp == 0 ? "auto" : lp,
                    lookahead == Av1Ladder.SVT_DEFAULT ? "default" : lookahead), VideoEncoding.OPENH264,
                    new Av1Ladder(true, largest, av1Preset, av1Ratio, lp, lookahead)));
        }
        return configurations.stream()
                .filter(configuration -> selected.isEmpty() || selected.contains(configuration.id())).toList();
    }

    Path run() {
        List<Configuration> configurations = configurations();
        List<Cost> costs = new ArrayList<>();
        List<RungQuality> qualities = new ArrayList<>();
        Path work = parameters.directory().resolve("encoders");
        boolean warm = parameters.warmups() == 0;
        for (Content content : contents) {
            Path source = source(content, work);
            for (Configuration configuration : configurations) {
                for (RatePoint point : points) {
                    InProcessLadder ladder = new InProcessLadder(parameters.heights(), point.scale(),
                            configuration.videoAt(point), configuration.av1());
                    Path output = work.resolve(content.label()).resolve(configuration.id() + "-" + point.label());
                    for (int i = 0; !warm && i < parameters.warmups(); i++) {
                        System.out.printf("warm-up %s %s %s: %s%n", content.label(), configuration.label(),
                                point.label(), ladder.run(source, output));
                    }
                    warm = true;
                    InProcessLadder.Transcoded run = ladder.transcode(source, output);
                    System.out.printf("%s %s %s: %s%n", content.label(), configuration.label(), point.label(),
                            run.measurement());
                    costs.add(new Cost(content, configuration, point, run.measurement()));
                    List<LadderTranscoder.Rendition> measured = configuration.av1().enabled()
                            ? run.result().av1Renditions() : run.result().renditions();
                    for (LadderTranscoder.Rendition rendition : measured) {
                        qualities.add(quality(content, configuration, point, rendition, source, output));
                    }
                }
            }
        }
        String markdown = report(configurations, costs, qualities);
        System.out.println(markdown);
        Path file = parameters.directory().resolve("encoders.md");
        try {
            Files.writeString(file, markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        System.out.println("Written to " + file);
        return file;
    }

    private RungQuality quality(Content content, Configuration configuration, RatePoint point,
            LadderTranscoder.Rendition rendition, Path source, Path output) {
        Path stats = output.resolve("stats-" + configuration.codec() + "-" + rendition.rung().name());
        try {
            Files.createDirectories(stats);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        InProcessQuality quality = InProcessQuality.measure(rendition.playlist(), source, parameters.width(),
                parameters.height(), parameters.frameRate(), stats);
        System.out.printf("  %s %s %s %s: %d kbit/s, %s%n", content.label(), configuration.id(), point.label(),
                rendition.rung().name(), rendition.averageBitrate() / 1000, quality);
        return new RungQuality(content, configuration, point, rendition.rung().label(), rendition.averageBitrate(),
                quality);
    }

    /** The content's lossless source, generated once with the natives' ffmpeg and kept. */
    private Path source(Content content, Path work) {
        Path source = work.resolve(String.format(Locale.ROOT, "%s-%dx%d-%dfps-%ss.mkv", content.label(),
                parameters.width(), parameters.height(), parameters.frameRate(), parameters.seconds()));
        if (Files.isRegularFile(source)) {
            return source;
        }
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path partial = source.resolveSibling(source.getFileName() + ".partial.mkv");
        FfmpegCli.run(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-filter_complex",
                content.filter(parameters), "-t", String.format(Locale.ROOT, "%.3f", parameters.seconds()),
                "-pix_fmt", "yuv420p", "-c:v", "ffv1", partial.toString()));
        try {
            Files.move(partial, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return source;
    }

    private String report(List<Configuration> configurations, List<Cost> costs, List<RungQuality> qualities) {
        RatePoint unit = points.stream().filter(point -> point.scale() == 1).findFirst().orElseThrow();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## Encoders side by side (%s)%n%n", java.time.LocalDate.now()));
        md.append(String.format(Locale.ROOT, "Sources: %d×%d, %d fps, %.1f s each, lossless (FFV1): ",
                parameters.width(), parameters.height(), parameters.frameRate(), parameters.seconds()));
        md.append(String.join("; ", contents.stream()
                .map(content -> content.label() + " (" + content.description + ")").toList()));
        md.append(String.format(Locale.ROOT, ". Rungs %s of the default ladder, in process (`LadderTranscoder`), "
                + "one run per configuration and rate point; x264 %s. Rate points (bitrate scale / capped CRF): "
                + "%s.%n%n", parameters.heights(),
                VideoEncoder.X264.available() ? "from the GPL natives" : "not in these (LGPL) natives: build with -Pgpl",
                String.join(", ", points.stream().map(point -> String.format(Locale.ROOT, "%s / %.0f",
                        point.label(), point.crf())).toList())));

        md.append(String.format(Locale.ROOT, "Cost at the rungs' own bitrates (%s); the AV1 rows make the H.264 "
                + "rungs too, so their extra over %s is what AV1 adds to a job:%n%n", unit.label(), REFERENCE));
        md.append("| Content | Configuration | Wall s | CPU s | Peak RSS MiB | Wall vs " + REFERENCE + " | CPU vs "
                + REFERENCE + " | Extra CPU s per source minute |\n|---|---|---|---|---|---|---|---|\n");
        for (Cost cost : costs.stream().filter(cost -> cost.point() == unit).toList()) {
            Measurement m = cost.measurement();
            Optional<Measurement> base = costs.stream().filter(c -> c.content() == cost.content()
                    && c.point() == unit && c.configuration().label().equals(REFERENCE)).findFirst()
                    .map(Cost::measurement);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %d | %s | %s | %s |%n",
                    cost.content().label(), cost.configuration().label(), m.wallSeconds(), m.cpuSeconds(),
                    m.peakRssBytes() >> 20,
                    base.map(b -> String.format(Locale.ROOT, "%.2fx", m.wallSeconds() / b.wallSeconds())).orElse("-"),
                    base.map(b -> String.format(Locale.ROOT, "%.2fx", m.cpuSeconds() / b.cpuSeconds())).orElse("-"),
                    base.map(b -> String.format(Locale.ROOT, "%.0f",
                            (m.cpuSeconds() - b.cpuSeconds()) * 60 / parameters.seconds())).orElse("-")));
        }

        md.append("\nThe curves, one value per rate point from the lowest (`/`-separated; the video's average "
                + "segment bitrate, PSNR over all planes, luma XPSNR, SSIM; `*`: quality does not rise with the "
                + "bitrate everywhere):\n\n| Content | Configuration | Rung | Video kbit/s | PSNR dB | XPSNR dB | SSIM |"
                + "\n|---|---|---|---|---|---|---|\n");
        for (Content content : contents) {
            for (Configuration configuration : configurations) {
                for (int rung : rungsLargestFirst()) {
                    List<RungQuality> curve = curve(qualities, content, configuration, rung);
                    if (curve.isEmpty()) {
                        continue;
                    }
                    md.append(String.format(Locale.ROOT, "| %s | %s | %dp | %s | %s%s | %s%s | %s |%n",
                            content.label(), configuration.label(), rung,
                            joined(curve, q -> String.format(Locale.ROOT, "%d", q.bitrate() / 1000)),
                            joined(curve, q -> String.format(Locale.ROOT, "%.2f", q.quality().psnr())),
                            BjontegaardDelta.monotonic(points(curve, InProcessQuality::psnr)) ? "" : " *",
                            joined(curve, q -> String.format(Locale.ROOT, "%.2f", q.quality().xpsnr())),
                            BjontegaardDelta.monotonic(points(curve, InProcessQuality::xpsnr)) ? "" : " *",
                            joined(curve, q -> String.format(Locale.ROOT, "%.4f", q.quality().ssim()))));
                }
            }
        }

        Optional<Configuration> reference = configurations.stream()
                .filter(configuration -> configuration.label().equals(REFERENCE)).findFirst();
        if (reference.isEmpty() || points.size() < 2) {
            return md.toString();
        }
        md.append("\nBD-rate against " + REFERENCE + " (Bjøntegaard: log10 of the bitrate fitted as a cubic of the "
                + "quality, both fits integrated over the quality both curves reach; negative: fewer bits for the "
                + "same quality), then the same with the curves interpolated linearly between their points; `†` "
                + "where the two differ by over " + DISAGREEMENT + " points: the fit does not follow the points, "
                + "trust neither. Where the curves share no quality, no figure: the ranges say which is better "
                + "everywhere measured.\n\n| Content | Rung | Configuration | BD-rate by XPSNR, cubic / linear | "
                + "over XPSNR dB | BD-rate by PSNR, cubic / linear | over PSNR dB |\n|---|---|---|---|---|---|---|\n");
        for (Content content : contents) {
            for (int rung : rungsLargestFirst()) {
                List<RungQuality> base = curve(qualities, content, reference.get(), rung);
                for (Configuration configuration : configurations) {
                    List<RungQuality> curve = curve(qualities, content, configuration, rung);
                    if (configuration == reference.get() || curve.isEmpty() || base.isEmpty()) {
                        continue;
                    }
                    md.append(String.format(Locale.ROOT, "| %s | %dp | %s | %s | %s |%n", content.label(), rung,
                            configuration.label(), bdRate(base, curve, InProcessQuality::xpsnr),
                            bdRate(base, curve, InProcessQuality::psnr)));
                }
            }
        }
        return md.toString();
    }

    /** Two cells: the BD-rate and the quality interval it is over, or why there is none. */
    private static String bdRate(List<RungQuality> reference, List<RungQuality> test,
            ToDoubleFunction<InProcessQuality> metric) {
        List<BjontegaardDelta.Point> base = points(reference, metric);
        List<BjontegaardDelta.Point> other = points(test, metric);
        return BjontegaardDelta.rate(base, other)
                .map(bd -> String.format(Locale.ROOT, "%+.1f %% / %+.1f %%%s | %.2f-%.2f", bd.percent(),
                        bd.piecewisePercent(), Math.abs(bd.percent() - bd.piecewisePercent()) > DISAGREEMENT
                                ? " †" : "", bd.lowQuality(), bd.highQuality()))
                .orElseGet(() -> String.format(Locale.ROOT, "no overlap | reference %.2f-%.2f, this %.2f-%.2f",
                        BjontegaardDelta.minQuality(base), BjontegaardDelta.maxQuality(base),
                        BjontegaardDelta.minQuality(other), BjontegaardDelta.maxQuality(other)));
    }

    private static List<BjontegaardDelta.Point> points(List<RungQuality> curve,
            ToDoubleFunction<InProcessQuality> metric) {
        return curve.stream().map(q -> new BjontegaardDelta.Point(q.bitrate(), metric.applyAsDouble(q.quality())))
                .toList();
    }

    private static List<RungQuality> curve(List<RungQuality> qualities, Content content, Configuration configuration,
            int rung) {
        return qualities.stream().filter(q -> q.content() == content && q.configuration() == configuration
                && q.rung() == rung).sorted(Comparator.comparingInt(q -> q.point().index())).toList();
    }

    private static String joined(List<RungQuality> curve, Function<RungQuality, String> value) {
        return String.join(" / ", curve.stream().map(value).toList());
    }

    private List<Integer> rungsLargestFirst() {
        return parameters.heights().stream().sorted(Comparator.reverseOrder()).toList();
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }
}
