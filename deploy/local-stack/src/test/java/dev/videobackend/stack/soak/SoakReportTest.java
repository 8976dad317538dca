package dev.videobackend.stack.soak;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's verdicts on recorded figures: what passes, and that a leak, growth or a failed job does not. */
class SoakReportTest {

    private static final SoakSettings SETTINGS = new SoakSettings(20, 5, 640, 360, 3, Duration.ofMinutes(1),
            Path.of("target/soak"), Path.of("quarkus-run.jar"));
    private static final long MAX_PHYSICAL = 1792L << 20;

    @Test
    void steadyMemoryAndDescriptorsPass() {
        SoakReport report = report(job -> sample(job, "COMPLETED", 300_000, 60));

        assertThat(report.targets()).allMatch(SoakReport.Target::met);
        assertThat(report.passed()).isTrue();
        assertThat(report.markdown()).contains("Overall: PASS").contains("| Every job COMPLETED | 20 of 20 | PASS |");
    }

    @Test
    void oneDescriptorLeakedPerJobFails() {
        SoakReport report = report(job -> sample(job, "COMPLETED", 300_000, 60 + job));

        assertThat(verdict(report, "No growth of open file descriptors")).isFalse();
        assertThat(report.passed()).isFalse();
    }

    @Test
    void residentMemoryGrowingMoreThanTenPercentAfterTheWarmUpFails() {
        SoakReport report = report(job -> sample(job, "COMPLETED", job <= 5 ? 300_000 : 300_000 + 3_500L * job, 60));

        assertThat(verdict(report, "RSS after job 20 within 10% of after job 5")).isFalse();
        assertThat(report.markdown()).contains("(+23.3%)").contains("Overall: FAIL");
    }

    @Test
    void aFailedJobOrARunThatStoppedEarlyFails() {
        SoakReport failedJob = report(job -> sample(job, job == 7 ? "FAILED INTERNAL" : "COMPLETED", 300_000, 60));
        assertThat(verdict(failedJob, "Every job COMPLETED")).isFalse();

        List<JobSample> twelveJobs = samples(job -> sample(job, "COMPLETED", 300_000, 60)).subList(0, 13);
        SoakReport stopped = new SoakReport(SETTINGS, List.of(), twelveJobs,
                Optional.of("IllegalStateException: The transcoder stopped"));
        assertThat(verdict(stopped, "Every job COMPLETED")).isFalse();
        assertThat(stopped.passed()).isFalse();
        assertThat(stopped.markdown()).contains("The run ended with an error: IllegalStateException");
    }

    private static SoakReport report(IntFunction<JobSample> sampleOfJob) {
        return new SoakReport(SETTINGS, List.of("-Xmx384m"), samples(sampleOfJob), Optional.empty());
    }

    /** Job 0 (start-up) and jobs 1 to 20. */
    private static List<JobSample> samples(IntFunction<JobSample> sampleOfJob) {
        List<JobSample> samples = new ArrayList<>();
        samples.add(sample(0, "STARTED", 180_000, 60));
        for (int job = 1; job <= SETTINGS.jobs(); job++) {
            samples.add(sampleOfJob.apply(job));
        }
        return samples;
    }

    private static JobSample sample(int job, String outcome, long residentKib, long openFiles) {
        return new JobSample(job, "job-" + job, outcome, 1.0, new ProcessStatus(residentKib, 400_000, 38, openFiles),
                new JavaCppMemory(1008, (residentKib - 40_000) << 10, 1L << 30, MAX_PHYSICAL));
    }

    private static boolean verdict(SoakReport report, String targetStart) {
        return report.targets().stream().filter(target -> target.name().startsWith(targetStart)).findFirst()
                .orElseThrow(() -> new AssertionError("No target " + targetStart)).met();
    }
}
