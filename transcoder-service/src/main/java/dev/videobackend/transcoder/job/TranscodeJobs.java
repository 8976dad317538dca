package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.EventJson;
import dev.videobackend.transcoder.events.TranscodeCompleted;
import dev.videobackend.transcoder.events.TranscodeFailed;
import dev.videobackend.transcoder.events.TranscodeRequested;
import dev.videobackend.transcoder.events.TranscoderEvent;
import dev.videobackend.transcoder.memory.NativeMemory;
import dev.videobackend.transcoder.transcode.FailureCode;
import dev.videobackend.transcoder.transcode.LadderTranscoder;
import dev.videobackend.transcoder.transcode.TranscodeFailure;
import dev.videobackend.transcoder.transcode.Workload;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs one transcode job end to end: transcodes into a staging directory of its own (per attempt and per replica),
 * publishes it through the {@link JobStorage} (one atomic rename, or an upload with the master playlist last: nobody
 * ever sees half a ladder), and reports the outcome. A job whose
 * directory is already published is not encoded again: its recorded completion is sent again, so a redelivered
 * request is harmless; so is one that another replica publishes first. A job that was half done when its process
 * died starts over in a new staging directory, and the old one is removed; each start counts as an attempt, and a
 * job attempted the maximum number of times is reported as {@code POISON_INPUT} without decoding. A job handed back
 * (its partition revoked, or the process stopping) ends without an outcome, its attempt given back.
 */
@ApplicationScoped
public class TranscodeJobs {

    static final String COMPLETION_RECORD = JobStorage.COMPLETION_RECORD;
    private static final Logger LOG = Logger.getLogger(TranscodeJobs.class);
    private static final List<String> MDC_KEYS = List.of("videoId", "jobId", "traceId", "spanId");

    private final JobStorage storage;
    private final LadderTranscoder transcoder;
    private final TranscoderEvents events;
    private final JobAttempts attempts;
    private final RunningJobs running;
    private final JobMetrics metrics;
    private final JobTracing tracing;
    private final Duration progressInterval;
    private final int maxAttempts;
    /** Names this process in its staging directories: the host, and a random part new at every start. */
    private final String replica;

    TranscodeJobs(TranscoderConfig config, JobStorage storage, TranscoderEvents events, JobAttempts attempts,
            RunningJobs running, JobMetrics metrics, JobTracing tracing) {
        this.storage = storage;
        this.transcoder = new LadderTranscoder(config.transcodeSettings());
        this.events = events;
        this.attempts = attempts;
        this.running = running;
        this.metrics = metrics;
        this.tracing = tracing;
        this.progressInterval = config.progressInterval();
        this.maxAttempts = config.jobs().maxAttempts();
        String host = System.getenv().getOrDefault("HOSTNAME", "transcoder").replaceAll("[^A-Za-z0-9-]", "-");
        this.replica = host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Runs the job of a record from {@code partition} and returns once its final event is on the broker. A job
     * handed back (the process shutting down, or the partition revoked) ends in {@link JobHandedBack} instead,
     * without an event, so that its record is redelivered. The job's span, a child of {@code traceParent}, is
     * current on this thread while it runs, and its ids are in the log's MDC.
     */
    public void run(TranscodeRequested request, TopicPartition partition, Context traceParent)
            throws InterruptedException {
        JobRun run = running.start(request.jobId(), partition);
        Instant started = Instant.now();
        metrics.jobStarted();
        Span span = tracing.startJob(request, traceParent);
        try (Scope ignored = span.makeCurrent()) {
            putMdc(request, span);
            TranscoderEvent outcome;
            try {
                outcome = outcome(request, run);
            } finally {
                running.finish(run);
            }
            events.sendFinal(outcome);
            metrics.jobEnded(outcome, request.occurredAt(), started, Instant.now());
            if (outcome instanceof TranscodeFailed failed) {
                JobTracing.failed(span, failed.code());
            }
            forgetAttempts(request);
            // One line per job, so that a leak of native memory or files shows as a trend in the log.
            LOG.infof("Job %s ended %s; %s", request.jobId(), outcomeName(outcome), NativeMemory.now().summary());
        } finally {
            running.settle();
            span.end();
            MDC_KEYS.forEach(MDC::remove);
        }
    }

    /** The job's thread logs with its ids, so that one video's lines can be found in JSON logs. */
    private static void putMdc(TranscodeRequested request, Span span) {
        MDC.put("videoId", request.videoId().toString());
        MDC.put("jobId", request.jobId().toString());
        if (span.getSpanContext().isValid()) {
            MDC.put("traceId", span.getSpanContext().getTraceId());
            MDC.put("spanId", span.getSpanContext().getSpanId());
        }
    }

    /** Jobs started here whose final event is not on the broker yet: what a graceful stop would wait for. */
    public int jobsInHand() {
        return running.unsettled();
    }

    private static String outcomeName(TranscoderEvent outcome) {
        return outcome instanceof TranscodeFailed failed ? "FAILED " + failed.code() : "COMPLETED";
    }

    private TranscoderEvent outcome(TranscodeRequested request, JobRun run) {
        try {
            Path stagingRoot = storage.stagingRoot(request.videoId());
            // What earlier attempts left when their process died goes first, whether or not there is another.
            int abandoned = StagingDirectory.removeAbandoned(stagingRoot, request.jobId(), replica);
            if (abandoned > 0) {
                LOG.infof("Job %s: removed the staging directories of %d attempt(s) whose process is gone",
                        request.jobId(), abandoned);
            }
            Optional<String> recorded = storage.completionRecord(request.videoId(), request.jobId());
            if (recorded.isPresent()) {
                LOG.infof("Job %s of video %s was already published; sending its completion again", request.jobId(),
                        request.videoId());
                return EventJson.readCompleted(recorded.get());
            }
            TranscodeFailure stopped = run.abortReason();
            if (stopped != null) {
                LOG.infof("Job %s of video %s was stopped before it started", request.jobId(), request.videoId());
                return failure(request, run, stopped.code(), stopped.getMessage(), stopped);
            }
            int made = attempts.made(request.jobId());
            if (made >= maxAttempts) {
                LOG.warnf("Job %s of video %s was attempted %d times without finishing; giving up", request.jobId(),
                        request.videoId(), made);
                return failed(settled(request, run, null), FailureCode.POISON_INPUT, "The job was attempted " + made
                        + " times and never finished: the transcoder crashed or hung on this source each time", made);
            }
            return attempt(request, run, stagingRoot);
        } catch (JobHandedBack e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            return failure(request, run, e);
        }
    }

    /**
     * A failure of the job itself: a known code with its message; a full volume as {@code STORAGE_FULL}, logged as an
     * error (no bug, but only an operator can end it); anything else as {@code INTERNAL} with its stack in the log.
     */
    private TranscodeFailed failure(TranscodeRequested request, JobRun run, Exception e) {
        FailureCode code = FullVolume.code(e);
        if (code == FailureCode.INTERNAL && !(e instanceof TranscodeFailure)) {
            LOG.errorf(e, "Job %s of video %s failed unexpectedly", request.jobId(), request.videoId());
            return failure(request, run, code, "The transcoder failed unexpectedly; retrying may help", e);
        }
        boolean full = code == FailureCode.STORAGE_FULL;
        LOG.logf(full ? Logger.Level.ERROR : Logger.Level.INFO, "Job %s of video %s failed with %s: %s",
                request.jobId(), request.videoId(), code, e.getMessage());
        return failure(request, run, code, full
                ? "The transcoder's output volume is full; retrying once there is room may help" : e.getMessage(), e);
    }

    /**
     * One attempt: fetches the source (a bucket that cannot be reached costs no attempt), transcodes it into a new
     * staging directory and publishes that, unless handed back first.
     */
    private TranscoderEvent attempt(TranscodeRequested request, JobRun run, Path stagingRoot) throws IOException {
        long started = System.nanoTime();
        try (JobStorage.LocalSource source = storage.fetchSource(request.source(), request.jobId())) {
            run.beginAttempt(attempts.begin(request.jobId()));
            metrics.attemptBegun();
            return transcodeAndPublish(request, run, stagingRoot, source.path(), started);
        }
    }

    private TranscoderEvent transcodeAndPublish(TranscodeRequested request, JobRun run, Path stagingRoot, Path source,
            long started) throws IOException {
        try (StagingDirectory staging = StagingDirectory.create(stagingRoot, request.jobId(), replica, run.attempt());
                JobTracing.StageSpans stages = tracing.stageSpans()) {
            ProgressReporter reporter = new ProgressReporter(request.videoId(), request.jobId(), run.attempt(),
                    progressInterval, events::sendProgress);
            LadderTranscoder.Result result = transcoder.transcode(source, staging.path(),
                    new LadderTranscoder.ProgressListener() {
                        @Override
                        public void onProgress(LadderTranscoder.Progress progress) {
                            stages.onProgress(progress);
                            reporter.onProgress(progress);
                        }

                        @Override
                        public void onWorkload(Workload workload) {
                            run.plan(workload);
                            LOG.infof("Job %s: %d rungs of %d frames, a time budget of %d s", request.jobId(),
                                    workload.rungs().size(), workload.framesPerRung(), run.budget().toSeconds());
                        }
                    }, run);
            TranscodeCompleted completed = new CompletionEvent(staging.path(),
                    Path.of(JobStorage.jobPath(request.videoId(), request.jobId())))
                    .build(request, result, (System.nanoTime() - started) / 1e9, run.attempt());
            Files.writeString(staging.path().resolve(COMPLETION_RECORD), EventJson.write(completed));
            boolean publishedHere = run.settle(() -> storage.publish(staging, request.videoId(), request.jobId()))
                    .orElseThrow(() -> handedBack(request, run, null));
            if (!publishedHere) {
                // Another run of this job (on a replica that held its partition before) published first: it stands.
                LOG.infof("Job %s of video %s was published by another run first; sending that completion",
                        request.jobId(), request.videoId());
                return EventJson.readCompleted(storage.completionRecord(request.videoId(), request.jobId())
                        .orElseThrow(() -> new IOException("Job " + request.jobId() + " has no completion record")));
            }
            metrics.encoded(completed);
            LOG.infof("Job %s of video %s: %d renditions in %.1f s (attempt %d)", request.jobId(), request.videoId(),
                    completed.renditions().size(), completed.elapsedSeconds(), run.attempt());
            return completed;
        }
    }

    /**
     * The failure to report, unless the job was handed back first: then nothing is reported here, and the attempt
     * (if one was made) is given back.
     */
    private TranscodeFailed failure(TranscodeRequested request, JobRun run, FailureCode code, String message,
            Exception cause) {
        return failed(settled(request, run, cause), code, message, run.attempt());
    }

    /** Settles the job's outcome, or throws {@link JobHandedBack} if it was handed back first. */
    private TranscodeRequested settled(TranscodeRequested request, JobRun run, Exception cause) {
        try {
            return run.settle(() -> request).orElseThrow(() -> handedBack(request, run, cause));
        } catch (IOException e) {
            throw new UncheckedIOException("Settling a failure writes nothing", e);
        }
    }

    private JobHandedBack handedBack(TranscodeRequested request, JobRun run, Exception cause) {
        if (run.attempt() > 0) {
            attempts.giveBack(request.jobId());
        }
        return run.stoppedForShutdown() ? JobHandedBack.byShutdown(request.jobId(), cause)
                : JobHandedBack.byRevocation(request.jobId(), run.partition(), cause);
    }

    /** A count left behind only costs a file: the job's outcome is already on the broker. */
    private void forgetAttempts(TranscodeRequested request) {
        try {
            attempts.forget(request.jobId());
        } catch (UncheckedIOException e) {
            LOG.warnf(e, "Job %s is over, but its attempts file stays behind", request.jobId());
        }
    }

    /** {@code attempt} 0: no attempt was recorded (a cancelled job skipped, a full disk), so none is reported. */
    private static TranscodeFailed failed(TranscodeRequested request, FailureCode code, String message, int attempt) {
        return new TranscodeFailed(UUID.randomUUID(), TranscodeFailed.TYPE, EventJson.SCHEMA_VERSION,
                request.videoId(), request.jobId(), Instant.now(), code.name(), message, code.retryable(),
                attempt == 0 ? null : attempt);
    }
}
