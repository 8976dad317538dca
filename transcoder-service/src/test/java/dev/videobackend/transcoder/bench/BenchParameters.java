package dev.videobackend.transcoder.bench;

import dev.videobackend.transcoder.transcode.VideoEncoder;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one benchmark run does; read from system properties ({@code -Dbench.seconds=8}), defaulting to issue 5's
 * values. {@code heights} picks rungs of the service's default ladder, with its default bitrates; {@code encoder}
 * ({@code -Dbench.encoder}) is the H.264 encoder of every way of the ladder benchmark, at fixed bitrates.
 */
record BenchParameters(double seconds, int width, int height, int frameRate, List<Integer> heights, int warmups,
        int runs, List<Way> ways, Path directory, VideoEncoder encoder) {

    static BenchParameters fromSystemProperties() {
        return new BenchParameters(
                Double.parseDouble(System.getProperty("bench.seconds", "60")),
                Integer.parseInt(System.getProperty("bench.width", "1920")),
                Integer.parseInt(System.getProperty("bench.height", "1080")),
                Integer.parseInt(System.getProperty("bench.fps", "30")),
                integers(System.getProperty("bench.rungs", "1080,720,480,360,240")),
                Integer.parseInt(System.getProperty("bench.warmup", "1")),
                Integer.parseInt(System.getProperty("bench.runs", "5")),
                Arrays.stream(System.getProperty("bench.ways", "ours,cli-split,cli-per-rung").split(","))
                        .map(String::strip).map(Way::named).toList(),
                Path.of(System.getProperty("bench.dir", "target/benchmarks")).toAbsolutePath(),
                VideoEncoder.valueOf(System.getProperty("bench.encoder", "openh264").toUpperCase(Locale.ROOT)));
    }

    BenchParameters {
        if (seconds <= 0 || width < 16 || height < 16 || frameRate <= 0 || heights.isEmpty() || warmups < 0
                || runs < 1 || ways.isEmpty()) {
            throw new IllegalArgumentException("Benchmark parameters out of range: seconds " + seconds + ", size "
                    + width + "x" + height + ", fps " + frameRate + ", rungs " + heights + ", warm-up " + warmups
                    + ", runs " + runs + ", ways " + ways);
        }
    }

    private static List<Integer> integers(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).map(Integer::valueOf).toList();
    }
}
