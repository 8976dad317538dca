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

/**
 * {@code -Dbench.suite=encoders}: every encoder and mode this build has, side by side in one run, on three kinds of
 * generated content (static slides with text, a moderate-motion scene, high-motion noise). Per configuration: wall
 * time, CPU time and peak resident memory of the in-process ladder; per rung: the bitrate written and PSNR, SSIM and
 * XPSNR against the source ({@link InProcessQuality}). Then the bitrate AV1 needs for the quality OpenH264 reaches
 * at the rung's fixed bitrate (see {@link #equalQualityBitrate}). Writes {@code <bench.dir>/encoders.md}.
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

    /** One way of encoding the ladder: an H.264 encoding, maybe with AV1 variants. */
    record Configuration(String label, VideoEncoding video, Av1Ladder av1) {
    }

    record Cost(Content content, Configuration configuration, Measurement measurement) {
    }

    record RungQuality(Content content, String configuration, String codec, int rung, long bitrate,
            InProcessQuality quality) {
    }

    private final BenchParameters parameters;
    private final int av1Preset = Integer.parseInt(System.getProperty("bench.av1-preset", "10"));
    private final List<Double> av1Ratios = Arrays.stream(System.getProperty("bench.av1-ratios", "1.0,0.6,0.35,0.2")
            .split(",")).map(String::strip).map(Double::valueOf).toList();

    EncoderComparison(BenchParameters parameters) {
        this.parameters = parameters;
    }

    List<Configuration> configurations() {
        List<Configuration> configurations = new ArrayList<>();
        configurations.add(new Configuration("openh264 fixed", VideoEncoding.OPENH264, Av1Ladder.OFF));
        if (VideoEncoder.X264.available()) {
            configurations.add(new Configuration("x264 veryfast fixed", new VideoEncoding(VideoEncoder.X264,
                    VideoEncoding.X264Preset.VERYFAST, VideoEncoding.RateControl.FIXED, 23), Av1Ladder.OFF));
            configurations.add(new Configuration("x264 veryfast capped-crf 23", new VideoEncoding(VideoEncoder.X264,
                    VideoEncoding.X264Preset.VERYFAST, VideoEncoding.RateControl.CAPPED_CRF, 23), Av1Ladder.OFF));
        }
        int largest = Collections.max(parameters.heights());
        for (double ratio : av1Ratios) {
            configurations.add(new Configuration(String.format(Locale.ROOT,
                    "openh264 fixed + AV1 preset %d at %.2f", av1Preset, ratio), VideoEncoding.OPENH264,
                    new Av1Ladder(true, largest, av1Preset, ratio)));
        }
        return configurations;
    }

    Path run() {
        List<Configuration> configurations = configurations();
        List<Cost> costs = new ArrayList<>();
        List<RungQuality> qualities = new ArrayList<>();
        Path work = parameters.directory().resolve("encoders");
        for (Content content : Content.values()) {
            Path source = source(content, work);
            for (Configuration configuration : configurations) {
                InProcessLadder ladder = new InProcessLadder(parameters.heights(), configuration.video(),
                        configuration.av1());
                Path output = work.resolve(content.label()).resolve(slug(configuration.label()));
                if (content == Content.values()[0] && configuration == configurations.get(0)) {
                    for (int i = 0; i < parameters.warmups(); i++) {
                        System.out.printf("warm-up %s %s: %s%n", content.label(), configuration.label(),
                                ladder.run(source, output));
                    }
                }
                InProcessLadder.Transcoded run = ladder.transcode(source, output);
                System.out.printf("%s %s: %s%n", content.label(), configuration.label(), run.measurement());
                costs.add(new Cost(content, configuration, run.measurement()));
                // The AV1 runs write the same H.264 rungs as "openh264 fixed": only their AV1 variants are new.
                if (!configuration.av1().enabled()) {
                    for (LadderTranscoder.Rendition rendition : run.result().renditions()) {
                        qualities.add(quality(content, configuration.video().encoder().configName(),
                                configuration.label(), "h264", rendition, source, output));
                    }
                }
                for (LadderTranscoder.Rendition rendition : run.result().av1Renditions()) {
                    qualities.add(quality(content, "av1", configuration.label(), "av1", rendition, source, output));
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

    private RungQuality quality(Content content, String encoder, String configuration, String codec,
            LadderTranscoder.Rendition rendition, Path source, Path output) {
        Path stats = output.resolve("stats-" + codec + "-" + rendition.rung().name());
        try {
            Files.createDirectories(stats);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        InProcessQuality quality = InProcessQuality.measure(rendition.playlist(), source, parameters.width(),
                parameters.height(), stats);
        System.out.printf("  %s %s %s: %d kbit/s, %s%n", content.label(), encoder, rendition.rung().name(),
                rendition.averageBitrate() / 1000, quality);
        return new RungQuality(content, configuration, codec, rendition.rung().label(), rendition.averageBitrate(),
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

    /**
     * The bitrate at which the measured points (bitrate, quality) of one encoder reach {@code quality}: linear in
     * the logarithm of the bitrate between the two points around it, as BD-rate interpolates. Outside the points:
     * a bound, {@code "≤ lowest"} when even the lowest bitrate measured is better, {@code "> highest"} when even
     * the highest is worse.
     */
    static Bitrate equalQualityBitrate(List<double[]> bitrateAndQuality, double quality) {
        List<double[]> points = new ArrayList<>(bitrateAndQuality);
        points.sort(Comparator.comparingDouble(point -> point[0]));
        for (int i = 0; i + 1 < points.size(); i++) {
            double[] low = points.get(i);
            double[] high = points.get(i + 1);
            if (quality >= Math.min(low[1], high[1]) && quality <= Math.max(low[1], high[1]) && high[1] != low[1]) {
                double share = (quality - low[1]) / (high[1] - low[1]);
                return new Bitrate(Math.exp(Math.log(low[0]) + share * (Math.log(high[0]) - Math.log(low[0]))), "");
            }
        }
        double[] lowest = points.get(0);
        double[] highest = points.get(points.size() - 1);
        if (points.stream().allMatch(point -> point[1] >= quality)) {
            return new Bitrate(lowest[0], "≤ ");
        }
        return new Bitrate(highest[0], "> ");
    }

    /** A bitrate, or a bound on it ({@code bound} {@code "≤ "} or {@code "> "}). */
    record Bitrate(double bitsPerSecond, String bound) {

        String kilobits() {
            return String.format(Locale.ROOT, "%s%.0f", bound, bitsPerSecond / 1000);
        }

        /** The saving against {@code reference}; a bound on the bitrate is the opposite bound on the saving. */
        String saving(long reference) {
            String opposite = bound.isEmpty() ? "" : bound.startsWith("≤") ? "≥ " : "< ";
            return String.format(Locale.ROOT, "%s%.0f %%", opposite, 100 * (1 - bitsPerSecond / reference));
        }
    }

    private String report(List<Configuration> configurations, List<Cost> costs, List<RungQuality> qualities) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## Encoders side by side (%s)%n%n", java.time.LocalDate.now()));
        md.append(String.format(Locale.ROOT, "Sources: %d×%d, %d fps, %.1f s each, lossless (FFV1): ",
                parameters.width(), parameters.height(), parameters.frameRate(), parameters.seconds()));
        md.append(String.join("; ", Arrays.stream(Content.values())
                .map(content -> content.label() + " (" + content.description + ")").toList()));
        md.append(String.format(Locale.ROOT, ". Rungs %s of the default ladder, in process (`LadderTranscoder`), "
                + "one run each; x264 %s.%n%n", parameters.heights(),
                VideoEncoder.X264.available() ? "from the GPL natives" : "not in these (LGPL) natives: build with -Pgpl"));
        md.append("| Content | Configuration | Wall s | CPU s | Peak RSS MiB | Wall vs openh264 fixed | "
                + "CPU vs openh264 fixed | Extra CPU s per source minute |\n|---|---|---|---|---|---|---|---|\n");
        for (Cost cost : costs) {
            Measurement base = costs.stream().filter(c -> c.content() == cost.content()
                    && c.configuration() == configurations.get(0)).findFirst().orElseThrow().measurement();
            Measurement m = cost.measurement();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %d | %.2fx | %.2fx | %.0f |%n",
                    cost.content().label(), cost.configuration().label(), m.wallSeconds(), m.cpuSeconds(),
                    m.peakRssBytes() >> 20, m.wallSeconds() / base.wallSeconds(),
                    m.cpuSeconds() / base.cpuSeconds(),
                    (m.cpuSeconds() - base.cpuSeconds()) * 60 / parameters.seconds()));
        }
        md.append("\n| Content | Configuration | Codec | Rung | Video kbit/s | PSNR dB | SSIM | XPSNR dB (luma) |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (RungQuality q : qualities) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %dp | %d | %.2f | %.4f | %.2f |%n",
                    q.content().label(), q.configuration(), q.codec(), q.rung(), q.bitrate() / 1000,
                    q.quality().psnr(), q.quality().ssim(), q.quality().xpsnr()));
        }
        md.append("\nAV1's bitrate at OpenH264's quality (OpenH264 at the rung's fixed bitrate; AV1's bitrate "
                + "interpolated between its measured points, linear in log bitrate; outside them, a bound):\n\n"
                + "| Content | Rung | OpenH264 kbit/s | XPSNR dB | AV1 kbit/s at it | Saving | PSNR dB | "
                + "AV1 kbit/s at it | Saving |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Content content : Content.values()) {
            for (int rung : parameters.heights().stream().sorted(Comparator.reverseOrder()).toList()) {
                RungQuality reference = qualities.stream().filter(q -> q.content() == content && q.rung() == rung
                        && q.configuration().equals(configurations.get(0).label())).findFirst().orElse(null);
                List<RungQuality> av1 = qualities.stream().filter(q -> q.content() == content && q.rung() == rung
                        && q.codec().equals("av1")).toList();
                if (reference == null || av1.isEmpty()) {
                    continue;
                }
                Bitrate atXpsnr = equalQualityBitrate(av1.stream().map(q -> new double[] {q.bitrate(),
                        q.quality().xpsnr()}).toList(), reference.quality().xpsnr());
                Bitrate atPsnr = equalQualityBitrate(av1.stream().map(q -> new double[] {q.bitrate(),
                        q.quality().psnr()}).toList(), reference.quality().psnr());
                md.append(String.format(Locale.ROOT, "| %s | %dp | %d | %.2f | %s | %s | %.2f | %s | %s |%n",
                        content.label(), rung, reference.bitrate() / 1000, reference.quality().xpsnr(),
                        atXpsnr.kilobits(), atXpsnr.saving(reference.bitrate()), reference.quality().psnr(),
                        atPsnr.kilobits(), atPsnr.saving(reference.bitrate())));
            }
        }
        return md.toString();
    }

    private static String slug(String label) {
        return label.replaceAll("[^a-zA-Z0-9.]+", "-");
    }
}
