package dev.videobackend.transcoder.bench;

import dev.videobackend.infra.media.FfmpegTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the {@code ffmpeg} executable of the bytedeco jar (the same FFmpeg libraries the service links) and reads
 * what {@code -benchmark} prints at its end: user and system CPU time and the process's peak resident memory.
 */
final class FfmpegCli {

    private static final Pattern TIMES = Pattern.compile("bench: utime=([0-9.]+)s stime=([0-9.]+)s");
    private static final long SAMPLE_MILLIS = 20;

    private FfmpegCli() {
    }

    /** The command line as it is run, {@code ffmpeg} first, for the report. */
    static List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(FfmpegTools.ffmpeg().toString());
        command.addAll(arguments);
        return command;
    }

    /**
     * Runs {@code ffmpeg -benchmark ...} and measures it: CPU time from {@code -benchmark}, peak memory from the
     * kernel's high-water mark of the process ({@code VmHWM}), read while it runs. Not {@code -benchmark}'s
     * {@code maxrss}: that is {@code getrusage}'s, which keeps the peak of the forking JVM across {@code exec}.
     */
    static Measurement measure(List<String> arguments) {
        List<String> withBenchmark = new ArrayList<>(List.of("-benchmark"));
        withBenchmark.addAll(arguments);
        Finished finished = execute(withBenchmark);
        Matcher times = TIMES.matcher(finished.stderr());
        if (!times.find()) {
            throw new IllegalStateException("ffmpeg -benchmark printed no times: " + finished.stderr());
        }
        return new Measurement(finished.wallSeconds(),
                Double.parseDouble(times.group(1)) + Double.parseDouble(times.group(2)), finished.peakRssBytes());
    }

    /** Runs {@code ffmpeg} and returns what it wrote to its standard error; fails on a non-zero exit. */
    static String run(List<String> arguments) {
        return execute(arguments).stderr();
    }

    private record Finished(String stderr, double wallSeconds, long peakRssBytes) {
    }

    private static Finished execute(List<String> arguments) {
        Path ffmpeg = FfmpegTools.ffmpeg();
        ProcessBuilder builder = new ProcessBuilder(command(arguments));
        // The executable finds its FFmpeg libraries beside it.
        builder.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            Path stderrFile = Files.createTempFile("bench-ffmpeg-", ".log");
            try {
                long start = System.nanoTime();
                Process process = builder.redirectError(stderrFile.toFile()).start();
                Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
                long peak = 0;
                while (!process.waitFor(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
                    peak = Math.max(peak, highWaterMark(status));
                }
                double wall = (System.nanoTime() - start) / 1e9;
                String stderr = Files.readString(stderrFile);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("ffmpeg " + String.join(" ", arguments) + " exited with "
                            + process.exitValue() + ": " + stderr);
                }
                return new Finished(stderr, wall, peak);
            } finally {
                Files.deleteIfExists(stderrFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + ffmpeg, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while ffmpeg ran", e);
        }
    }

    /**
     * {@code VmHWM} of a running process; 0 once it has ended, when its status file is gone or, for a zombie, has
     * no memory fields left. The peak only grows, so the last read while it runs counts.
     */
    private static long highWaterMark(Path status) {
        try {
            List<String> lines = Files.readAllLines(status);
            boolean hasMemory = lines.stream().anyMatch(line -> line.startsWith("VmHWM:"));
            return hasMemory ? ProcessMemory.kibibytes(lines, "VmHWM:") * 1024 : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
