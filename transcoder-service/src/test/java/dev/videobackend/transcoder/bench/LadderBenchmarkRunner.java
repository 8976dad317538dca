package dev.videobackend.transcoder.bench;

import dev.videobackend.transcoder.transcode.Rung;
import dev.videobackend.transcoder.transcode.VideoEncoder;
import dev.videobackend.transcoder.transcode.VideoEncoding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ladder benchmark (issue 5): the same source made into the same HLS ladder three ways, alternating (ours,
 * cli-split, cli-per-rung, ours, ...) so that a busy neighbour on the machine slows all three alike; warm-up runs
 * first (they let the JIT compile the in-process pipeline, as in a long-lived service), then the timed runs, then
 * the quality of each way's last output, untimed. Writes the report to {@code <bench.dir>/ladder.md}.
 */
final class LadderBenchmarkRunner {

    private final BenchParameters parameters;

    LadderBenchmarkRunner(BenchParameters parameters) {
        this.parameters = parameters;
    }

    /** Runs everything and returns the report's file. */
    Path run() {
        Path source = BenchSource.ensure(parameters);
        long jvmBaseline = ProcessMemory.residentBytes();
        // x264 as the service runs it with transcoder.video.encoder=x264 and the other defaults: veryfast, fixed.
        VideoEncoding video = parameters.encoder() == VideoEncoder.OPENH264 ? VideoEncoding.OPENH264
                : new VideoEncoding(VideoEncoder.X264, VideoEncoding.X264Preset.VERYFAST,
                        VideoEncoding.RateControl.FIXED, 23);
        InProcessLadder ours = new InProcessLadder(parameters.heights(), 1, video, null);
        CliLadder.Settings cliSettings = ours.cliSettings(parameters);
        CliLadder cli = new CliLadder(cliSettings);
        Path work = parameters.directory().resolve("ladder-runs");
        Map<Way, Path> lastOutputs = new EnumMap<>(Way.class);
        List<LadderReport.Run> runs = new ArrayList<>();
        Map<String, Double> threadCpu = Map.of();

        for (int round = 1 - parameters.warmups(); round <= parameters.runs(); round++) {
            for (Way way : parameters.ways()) {
                // Every run of a way writes the same files over again; the playlists name only this run's.
                Path output = work.resolve(way.label());
                Measurement measurement = way == Way.OURS ? ours.run(source, output) : cli.run(way, source, output);
                System.out.printf("%s %s %d: %s%n", round <= 0 ? "warm-up" : "run", way.label(),
                        round <= 0 ? round + parameters.warmups() : round, measurement);
                if (round > 0) {
                    runs.add(new LadderReport.Run(round, way, measurement));
                    lastOutputs.put(way, output);
                    if (way == Way.OURS) {
                        threadCpu = ours.lastThreadCpu();
                    }
                }
            }
        }

        Map<Way, List<Quality>> quality = new LinkedHashMap<>();
        for (Way way : parameters.ways()) {
            List<Quality> rungs = new ArrayList<>();
            for (Rung rung : cliSettings.rungs()) {
                Path playlist = lastOutputs.get(way).resolve(rung.name()).resolve("playlist.m3u8");
                rungs.add(Quality.measure(rung, playlist, source, parameters));
            }
            quality.put(way, rungs);
        }

        LadderReport report = new LadderReport(parameters, source, cli, cliSettings, jvmBaseline, runs, quality,
                threadCpu);
        String markdown = report.markdown();
        System.out.println(markdown);
        Path file = parameters.directory().resolve("ladder.md");
        try {
            Files.writeString(file, markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        System.out.println("Written to " + file);
        return file;
    }
}
