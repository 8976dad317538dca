package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.TranscodeCompleted;
import dev.videobackend.transcoder.events.TranscodeFailed;
import dev.videobackend.transcoder.events.TranscoderEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.bytedeco.javacpp.Pointer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The transcoder's own meters, served at {@code /q/metrics}. Labels are bounded: a failure code, a rung name of the
 * configured ladder, an outcome; never a video or job id. Durations are histograms with fixed buckets, from seconds
 * (a clip) to hours (a feature film on few cores), so that quantiles can be computed across replicas.
 */
@ApplicationScoped
public class JobMetrics {

    /** The top rung of a job that failed before its ladder was known. */
    static final String NO_RUNG = "none";
    private static final Duration[] JOB_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(4)};

    private final MeterRegistry registry;
    private final Counter started;
    private final Counter attempts;
    private final Counter deadLettered;

    JobMetrics(MeterRegistry registry, RunningJobs running,
            @ConfigProperty(name = JobSlotsDefault.PROPERTY) int slots) {
        this.registry = registry;
        this.started = Counter.builder("transcoder.jobs.started")
                .description("Transcode requests taken, redeliveries included").register(registry);
        this.attempts = Counter.builder("transcoder.job.attempts")
                .description("Encoding attempts begun; more than one per job means a crash or hang before").register(registry);
        this.deadLettered = Counter.builder("transcoder.requests.dead.lettered")
                .description("Records on the requests topic that were not valid requests, sent to its dead-letter topic")
                .register(registry);
        Gauge.builder("transcoder.slots.busy", running, RunningJobs::runningCount)
                .description("Jobs running in this process").register(registry);
        Gauge.builder("transcoder.slots.max", () -> slots)
                .description("Jobs this process runs at once at most").register(registry);
        Gauge.builder("transcoder.javacpp.total", Pointer::totalBytes).baseUnit("bytes")
                .description("Memory JavaCPP allocated and has not freed").register(registry);
        Gauge.builder("transcoder.javacpp.max", Pointer::maxBytes).baseUnit("bytes")
                .description("JavaCPP's limit on its own allocations").register(registry);
        Gauge.builder("transcoder.process.physical", Pointer::physicalBytes).baseUnit("bytes")
                .description("Resident memory of the whole process (heap, FFmpeg and all) less shared file pages")
                .register(registry);
        Gauge.builder("transcoder.process.physical.max", Pointer::maxPhysicalBytes).baseUnit("bytes")
                .description("JavaCPP's limit on the process's physical memory").register(registry);
    }

    void jobStarted() {
        started.increment();
    }

    void attemptBegun() {
        attempts.increment();
    }

    void requestDeadLettered() {
        deadLettered.increment();
    }

    /**
     * The job's final event is on the broker: counts its outcome, and records how long the request waited before
     * the job started and how long the job took from start to its final event, by the job's top rung.
     */
    void jobEnded(TranscoderEvent outcome, Instant requested, Instant started, Instant ended) {
        String topRung = NO_RUNG;
        if (outcome instanceof TranscodeCompleted completed) {
            topRung = topRung(completed.renditions());
            Counter.builder("transcoder.jobs.completed").description("Jobs that ended with their ladder published")
                    .register(registry).increment();
        } else if (outcome instanceof TranscodeFailed failed) {
            Counter.builder("transcoder.jobs.failed").description("Jobs that ended failed, by failure code")
                    .tag("code", failed.code()).register(registry).increment();
        }
        timer("transcoder.job.queue.wait", "From the request's creation to the job's start", topRung)
                .record(nonNegative(Duration.between(requested, started)));
        timer("transcoder.job.duration", "From the job's start to its final event on the broker", topRung)
                .record(nonNegative(Duration.between(started, ended)));
    }

    /** A ladder encoded here (not a completion sent again): its speed, and the frames of each rung. */
    void encoded(TranscodeCompleted completed) {
        String topRung = topRung(completed.renditions());
        if (completed.elapsedSeconds() > 0) {
            DistributionSummary.builder("transcoder.encode.speed")
                    .description("Source seconds encoded per wall-clock second (x real time), whole ladder")
                    .tag("top_rung", topRung).serviceLevelObjectives(0.25, 0.5, 1, 2, 4, 8)
                    .register(registry).record(completed.source().durationSeconds() / completed.elapsedSeconds());
        }
        for (TranscodeCompleted.Rendition rendition : completed.renditions()) {
            Counter.builder("transcoder.frames.encoded").description("Video frames encoded, by rung")
                    .tag("rung", rungName(rendition)).register(registry)
                    .increment(Math.round(rendition.durationSeconds() * rendition.frameRate()));
        }
    }

    private Timer timer(String name, String description, String topRung) {
        return Timer.builder(name).description(description).tag("top_rung", topRung)
                .serviceLevelObjectives(JOB_BUCKETS).register(registry);
    }

    private static String topRung(List<TranscodeCompleted.Rendition> renditions) {
        return renditions.stream().max((a, b) -> Integer.compare(label(a), label(b)))
                .map(JobMetrics::rungName).orElse(NO_RUNG);
    }

    /** Ladders name a rung by its shorter side, as {@code Rung#name()} does. */
    private static String rungName(TranscodeCompleted.Rendition rendition) {
        return label(rendition) + "p";
    }

    private static int label(TranscodeCompleted.Rendition rendition) {
        return Math.min(rendition.width(), rendition.height());
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
