package dev.videobackend.stack.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The figures of a soak run and its targets: every job completed, resident memory after the last job within 10% of
 * after the warm-up, no growth of open file descriptors after the warm-up, and the peak resident memory below
 * JavaCPP's {@code maxPhysicalBytes}. Nothing is judged by time.
 */
final class SoakReport {

    /** One target, met or not. */
    record Target(String name, String measured, boolean met) {
    }

    private static final double MAX_RESIDENT_GROWTH = 0.10;

    private final SoakSettings settings;
    private final List<String> jvmOptions;
    private final List<JobSample> samples;
    private final JobSample warmedUp;
    private final JobSample last;
    private final Optional<String> error;

    /**
     * @param samples job 0 (after start-up) and then every job that ended, in order
     * @param error   what ended the run early, if anything did: the run then fails
     */
    SoakReport(SoakSettings settings, List<String> jvmOptions, List<JobSample> samples, Optional<String> error) {
        this.settings = settings;
        this.error = error;
        this.jvmOptions = jvmOptions;
        this.samples = List.copyOf(samples);
        this.last = samples.get(samples.size() - 1);
        this.warmedUp = samples.size() > settings.warmUp() ? samples.get(settings.warmUp()) : last;
    }

    List<Target> targets() {
        List<JobSample> jobs = samples.subList(1, samples.size());
        long completed = jobs.stream().filter(JobSample::completed).count();
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("Every job COMPLETED", completed + " of " + settings.jobs(),
                completed == settings.jobs()));

        double growth = growth(warmedUp.process().residentKib(), last.process().residentKib());
        targets.add(new Target("RSS after job " + last.job() + " within 10% of after job " + warmedUp.job(),
                String.format(Locale.ROOT, "%d MiB -> %d MiB (%+.1f%%)", warmedUp.process().residentKib() >> 10,
                        last.process().residentKib() >> 10, 100 * growth),
                last.job() == settings.jobs() && growth <= MAX_RESIDENT_GROWTH));

        // Descriptors come and go with Kafka connections and the media files of a running job; a leak shows as
        // counts after the warm-up that the warm-up never reached.
        long warmUpMax = max(samples.subList(1, warmedUp.job() + 1), sample -> sample.process().openFiles());
        long laterMax = max(samples.subList(warmedUp.job() + 1, samples.size()), sample -> sample.process().openFiles());
        targets.add(new Target("No growth of open file descriptors after the warm-up",
                "at most " + laterMax + " after job " + warmedUp.job() + ", at most " + warmUpMax + " up to it",
                laterMax <= warmUpMax));

        long peak = last.process().peakResidentKib() << 10;
        long limit = last.javacpp().maxPhysicalBytes();
        targets.add(new Target("Peak RSS below JavaCPP's maxPhysicalBytes",
                (peak >> 20) + " MiB of " + (limit >> 20) + " MiB", peak < limit));
        return targets;
    }

    boolean passed() {
        return error.isEmpty() && targets().stream().allMatch(Target::met);
    }

    void writeCsv(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add(JobSample.CSV_HEADER);
        samples.forEach(sample -> lines.add(sample.csvRow()));
        write(file, String.join("\n", lines) + "\n");
    }

    String markdown() {
        List<JobSample> jobs = samples.subList(1, samples.size());
        StringBuilder text = new StringBuilder();
        text.append("# Soak: ").append(settings.jobs()).append(" jobs in one transcoder\n\n");
        text.append(settings.describe()).append("; transcoder JVM options `").append(String.join(" ", jvmOptions))
                .append("`; ").append(Runtime.getRuntime().availableProcessors()).append(" cores.\n\n");
        text.append("| Figure | Value |\n|---|---|\n");
        row(text, "Jobs run", jobs.size() + " of " + settings.jobs());
        row(text, "RSS after start-up", mib(samples.get(0).process().residentKib()));
        row(text, "RSS after job " + warmedUp.job() + " / job " + last.job(),
                mib(warmedUp.process().residentKib()) + " / " + mib(last.process().residentKib()));
        row(text, "Peak RSS (VmHWM)", mib(last.process().peakResidentKib()));
        row(text, "Open file descriptors, min / max over the jobs",
                min(jobs, sample -> sample.process().openFiles()) + " / "
                        + max(jobs, sample -> sample.process().openFiles()));
        row(text, "Threads after job " + warmedUp.job() + " / job " + last.job(),
                warmedUp.process().threads() + " / " + last.process().threads());
        row(text, "JavaCPP totalBytes after job " + warmedUp.job() + " / job " + last.job(),
                warmedUp.javacpp().totalBytes() + " bytes / " + last.javacpp().totalBytes() + " bytes");
        row(text, "JavaCPP physicalBytes after job " + warmedUp.job() + " / job " + last.job(),
                (warmedUp.javacpp().physicalBytes() >> 20) + " MiB / " + (last.javacpp().physicalBytes() >> 20)
                        + " MiB");
        row(text, "JavaCPP maxBytes / maxPhysicalBytes",
                (last.javacpp().maxBytes() >> 20) + " MiB / " + (last.javacpp().maxPhysicalBytes() >> 20) + " MiB");
        double[] seconds = jobs.stream().mapToDouble(JobSample::seconds).sorted().toArray();
        if (seconds.length > 0) {
            row(text, "Job time, request to final event: median / slowest", String.format(Locale.ROOT,
                    "%.1f s / %.1f s", seconds[seconds.length / 2], seconds[seconds.length - 1]));
        }
        text.append("\n| Target | Measured | Result |\n|---|---|---|\n");
        for (Target target : targets()) {
            text.append("| ").append(target.name()).append(" | ").append(target.measured()).append(" | ")
                    .append(target.met() ? "PASS" : "FAIL").append(" |\n");
        }
        error.ifPresent(message -> text.append("\nThe run ended with an error: ").append(message).append('\n'));
        text.append("\nOverall: ").append(passed() ? "PASS" : "FAIL").append('\n');
        return text.toString();
    }

    void writeMarkdown(Path file) {
        write(file, markdown());
    }

    private static double growth(long before, long after) {
        return (double) (after - before) / before;
    }

    private static long max(List<JobSample> samples, ToLongFunction<JobSample> figure) {
        return samples.stream().mapToLong(figure).max().orElse(0);
    }

    private static long min(List<JobSample> samples, ToLongFunction<JobSample> figure) {
        return samples.stream().mapToLong(figure).min().orElse(0);
    }

    private static String mib(long kib) {
        return (kib >> 10) + " MiB";
    }

    private static void row(StringBuilder text, String figure, String value) {
        text.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
