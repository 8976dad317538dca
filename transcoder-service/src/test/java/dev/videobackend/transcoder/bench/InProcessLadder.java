package dev.videobackend.transcoder.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.videobackend.transcoder.job.TranscoderConfig;
import dev.videobackend.transcoder.transcode.Av1Ladder;
import dev.videobackend.transcoder.transcode.FrameRate;
import dev.videobackend.transcoder.transcode.Ladder;
import dev.videobackend.transcoder.transcode.LadderTranscoder;
import dev.videobackend.transcoder.transcode.Rung;
import dev.videobackend.transcoder.transcode.RungSpec;
import dev.videobackend.transcoder.transcode.SourceInfo;
import dev.videobackend.transcoder.transcode.VideoEncoding;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/**
 * The service's pipeline, {@link LadderTranscoder}, in this JVM: with the settings the service's default
 * configuration gives ({@link TranscoderConfig#transcodeSettings()}), only the rungs narrowed to the benchmark's.
 * Measures wall time around {@code transcode()}, the process's CPU time, its peak resident memory (the kernel's
 * high-water mark, reset before each run), and the CPU time of each of its threads.
 */
final class InProcessLadder {

    /** Encoder threads live as long as the run: a few samples a second see their time, and cost little. */
    private static final long SAMPLE_MILLIS = 250;

    private final LadderTranscoder.Settings settings;
    private final LadderTranscoder transcoder;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private Map<String, Double> lastThreadCpu = Map.of();

    InProcessLadder(List<Integer> heights) {
        this(heights, 1, null, null);
    }

    /**
     * As the service's defaults, but with the rungs' bitrates times {@code bitrateScale}, and {@code video} and
     * {@code av1} where they are not {@code null}.
     */
    InProcessLadder(List<Integer> heights, double bitrateScale, VideoEncoding video, Av1Ladder av1) {
        TranscoderConfig config = defaultConfig();
        // What FfmpegStartup sets in the service, at the default transcoder.ffmpeg-log-level.
        av_log_set_level(AV_LOG_ERROR);
        LadderTranscoder.Settings defaults = config.transcodeSettings();
        List<RungSpec> rungs = config.ladder().rungs().stream().filter(spec -> heights.contains(spec.height()))
                .map(spec -> new RungSpec(spec.height(), Math.round(spec.videoBitrate() * bitrateScale))).toList();
        if (rungs.size() != heights.size()) {
            throw new IllegalArgumentException("Rungs " + heights + " are not all in the default ladder "
                    + config.ladder().rungs());
        }
        settings = new LadderTranscoder.Settings(new Ladder(rungs), defaults.allowedFormats(),
                defaults.allowedDecoders(), defaults.keyframeIntervalSeconds(), defaults.audioBitrate(), defaults.threads(),
                defaults.limits(), video == null ? defaults.video() : video, av1 == null ? defaults.av1() : av1,
                defaults.storyboard());
        transcoder = new LadderTranscoder(settings);
    }

    /** The AV1 variants' settings of the service's default configuration (off, with its SVT-AV1 parameters). */
    static Av1Ladder defaultAv1() {
        return defaultConfig().video().av1().ladder();
    }

    /**
     * The service's configuration with nothing set but {@code -Dtranscoder.*} system properties: every default of
     * {@link TranscoderConfig} unless the command line says otherwise. Other {@code transcoder.*} properties (the
     * storage's, or those a test of the same JVM left behind) belong to other mappings: not validated here.
     */
    private static TranscoderConfig defaultConfig() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new SysPropConfigSource())
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withMapping(TranscoderConfig.class)
                .withValidateUnknown(false)
                .build();
        return config.getConfigMapping(TranscoderConfig.class);
    }

    /** The rungs the service makes of the benchmark's source, largest first: sizes and bitrates. */
    List<Rung> plan(BenchParameters parameters) {
        SourceInfo source = new SourceInfo("mov", parameters.seconds(), parameters.width(), parameters.height(), 1, 1,
                parameters.frameRate(), "h264", "yuv420p", "aac", 0, false, false, "stereo", 2);
        return settings.ladder().plan(source, FrameRate.forRenditions(parameters.frameRate()));
    }

    /** The encoder settings the CLI ways copy, so that all three encode alike. */
    CliLadder.Settings cliSettings(BenchParameters parameters) {
        // The decoder threads LadderTranscoder gives the video decoder.
        int cap = settings.limits().maxDecoderThreads();
        int decoderThreads = Math.min(cap, settings.threads() == 0 ? Runtime.getRuntime().availableProcessors()
                : settings.threads());
        return new CliLadder.Settings(plan(parameters), parameters.frameRate(), settings.keyframeIntervalSeconds(),
                settings.audioBitrate(), decoderThreads, settings.threads(), settings.video());
    }

    /** Transcodes {@code source} into {@code output}, over what an earlier run wrote there, and measures it. */
    Measurement run(Path source, Path output) {
        return transcode(source, output).measurement();
    }

    /** A measured run and what it wrote. */
    record Transcoded(Measurement measurement, LadderTranscoder.Result result) {
    }

    /** As {@link #run}, with the transcode's result. */
    Transcoded transcode(Path source, Path output) {
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + output, e);
        }
        boolean highWaterMarkReset = ProcessMemory.resetPeak();
        ThreadCpu threadCpu = new ThreadCpu();
        ProcessMemory.Sampler sampler = new ProcessMemory.Sampler(SAMPLE_MILLIS, threadCpu::sample);
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        LadderTranscoder.Result result;
        try {
            result = transcoder.transcode(source, output, progress -> { });
        } finally {
            sampler.stop();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        threadCpu.sample();
        lastThreadCpu = threadCpu.secondsByName();
        long peak = highWaterMarkReset ? ProcessMemory.peakBytes() : sampler.peakBytes();
        return new Transcoded(new Measurement(wall, cpu, peak), result);
    }

    /** CPU seconds of each thread alive during the last run, by name (the encoders are {@code encode-<rung>}). */
    Map<String, Double> lastThreadCpu() {
        return lastThreadCpu;
    }

    /**
     * CPU time of each thread of the process during one run, native ones included, from
     * {@code /proc/self/task/<tid>/stat}: sampled while it runs, since an encoder's threads are gone once it ends;
     * threads older than the run count from its start. FFmpeg names the decoder's frame threads
     * ({@code av:h264:df0}); other threads FFmpeg or OpenH264 start take the name of the thread that started them,
     * so {@code encode-720p} covers that rung's encoder with its worker threads, and {@code java} (the main thread)
     * the demuxing and filtering.
     */
    private static final class ThreadCpu {

        private static final Path TASKS = Path.of("/proc/self/task");
        /** USER_HZ, the unit of utime and stime: 100 on every Linux this runs on. */
        private static final double TICKS_PER_SECOND = 100;

        private final Map<String, Long> atStart = new HashMap<>();
        private final Map<String, Long> latest = new ConcurrentHashMap<>();
        private final Map<String, String> names = new ConcurrentHashMap<>();

        ThreadCpu() {
            forEachTask((tid, name, ticks) -> atStart.put(tid, ticks));
        }

        void sample() {
            forEachTask((tid, name, ticks) -> {
                latest.merge(tid, ticks, Math::max);
                names.putIfAbsent(tid, name);
            });
        }

        /** Seconds per thread name (threads of one name added up), the busiest first. */
        Map<String, Double> secondsByName() {
            Map<String, Double> seconds = new HashMap<>();
            latest.forEach((tid, ticks) -> seconds.merge(names.get(tid),
                    (ticks - atStart.getOrDefault(tid, 0L)) / TICKS_PER_SECOND, Double::sum));
            Map<String, Double> busiestFirst = new LinkedHashMap<>();
            seconds.entrySet().stream().filter(entry -> entry.getValue() >= 0.01)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(entry -> busiestFirst.put(entry.getKey(), entry.getValue()));
            return busiestFirst;
        }

        private interface TaskVisitor {
            void visit(String tid, String name, long ticks);
        }

        /** Threads that end while being read are skipped: their last sample stands. */
        private static void forEachTask(TaskVisitor visitor) {
            try (Stream<Path> tasks = Files.list(TASKS)) {
                for (Path task : tasks.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (IOException ended) {
                        continue;
                    }
                    // "tid (name) state ppid ...": the name may hold spaces; utime and stime are fields 14 and 15.
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] fields = stat.substring(close + 2).split(" ");
                    visitor.visit(task.getFileName().toString(), stat.substring(open + 1, close),
                            Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + TASKS, e);
            }
        }
    }
}
