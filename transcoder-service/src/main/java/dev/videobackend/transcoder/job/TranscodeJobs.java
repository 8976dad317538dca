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
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs one transcode job end to end: transcodes into a hidden staging directory, publishes it with one atomic
 * rename (nobody ever sees half a ladder), and reports the outcome. A job whose directory is already published
 * is not encoded again: its recorded completion is sent again, so a redelivered request is harmless. A job that
 * was half done when its process died starts over from an empty staging directory; each start counts as an
 * attempt, and a job attempted the maximum number of times is reported as {@code POISON_INPUT} without decoding.
 */
@ApplicationScoped
public class TranscodeJobs {

    static final String COMPLETION_RECORD = ".completed.json";
    private static final Logger LOG = Logger.getLogger(TranscodeJobs.class);

    private final Path mediaRoot;
    private final LadderTranscoder transcoder;
    private final TranscoderEvents events;
    private final JobAttempts attempts;
    private final RunningJobs running;
    private final Duration progressInterval;
    private final int maxAttempts;

    TranscodeJobs(TranscoderConfig config, TranscoderEvents events, JobAttempts attempts, RunningJobs running) {
        this.mediaRoot = config.media().root().toAbsolutePath().normalize();
        this.transcoder = new LadderTranscoder(config.transcodeSettings());
        this.events = events;
        this.attempts = attempts;
        this.running = running;
        this.progressInterval = config.progressInterval();
        this.maxAttempts = config.jobs().maxAttempts();
    }

    /**
     * Runs the job and returns once its final event is on the broker. A job stopped by a shutdown, or arriving
     * during one, ends in {@link JobStoppedByShutdown} instead, without an event, so that its record is redelivered.
     */
    public void run(TranscodeRequested request) throws InterruptedException {
        JobRun run = running.start(request.jobId());
        try {
            TranscoderEvent outcome;
            try {
                outcome = outcome(request, run);
            } finally {
                running.finish(run);
            }
            events.sendFinal(outcome);
            forgetAttempts(request);
            // One line per job, so that a leak of native memory or files shows as a trend in the log.
            LOG.infof("Job %s ended %s; %s", request.jobId(), outcomeName(outcome), NativeMemory.now().summary());
        } finally {
            running.settle();
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
        Path published = jobDirectory(request);
        Path completion = published.resolve(COMPLETION_RECORD);
        if (Files.isRegularFile(completion)) {
            LOG.infof("Job %s of video %s was already published; sending its completion again", request.jobId(),
                    request.videoId());
            return EventJson.readCompleted(readString(completion));
        }
        TranscodeFailure cancelled = run.abortReason();
        if (cancelled != null) {
            LOG.infof("Job %s of video %s was cancelled before it started", request.jobId(), request.videoId());
            return failed(request, cancelled.code(), cancelled.getMessage(), 0);
        }
        Path staging = published.resolveSibling("." + request.jobId() + ".partial");
        long started = System.nanoTime();
        try {
            // What an earlier attempt left when its process died goes first, whether or not there is another.
            deleteRecursively(staging);
            int made = attempts.made(request.jobId());
            if (made >= maxAttempts) {
                LOG.warnf("Job %s of video %s was attempted %d times without finishing; giving up", request.jobId(),
                        request.videoId(), made);
                return failed(request, FailureCode.POISON_INPUT, "The job was attempted " + made
                        + " times and never finished: the transcoder crashed or hung on this source each time", made);
            }
            Files.createDirectories(staging);
            run.beginAttempt(attempts.begin(request.jobId()));
            ProgressReporter reporter = new ProgressReporter(request.videoId(), request.jobId(), run.attempt(),
                    progressInterval, events::sendProgress);
            LadderTranscoder.Result result = transcoder.transcode(source(request), staging, progress -> {
                run.observe(progress);
                reporter.onProgress(progress);
            }, run);
            TranscodeCompleted completed = new CompletionEvent(staging, mediaRoot.relativize(published))
                    .build(request, result, (System.nanoTime() - started) / 1e9, run.attempt());
            run.checkNotAborted();
            Files.writeString(staging.resolve(COMPLETION_RECORD), EventJson.write(completed));
            Files.move(staging, published, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("Job %s of video %s: %d renditions in %.1f s (attempt %d)", request.jobId(), request.videoId(),
                    completed.renditions().size(), completed.elapsedSeconds(), run.attempt());
            return completed;
        } catch (TranscodeFailure e) {
            discard(staging, e);
            if (run.stoppedForShutdown()) {
                attempts.giveBack(request.jobId());
                throw new JobStoppedByShutdown(request.jobId(), e);
            }
            LOG.infof("Job %s of video %s failed with %s: %s", request.jobId(), request.videoId(), e.code(), e.getMessage());
            return failed(request, e.code(), e.getMessage(), run.attempt());
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Job %s of video %s failed unexpectedly", request.jobId(), request.videoId());
            discard(staging, e);
            return failed(request, FailureCode.INTERNAL, "The transcoder failed unexpectedly; retrying may help",
                    run.attempt());
        }
    }

    /** A count left behind only costs a file: the job's outcome is already on the broker. */
    private void forgetAttempts(TranscodeRequested request) {
        try {
            attempts.forget(request.jobId());
        } catch (UncheckedIOException e) {
            LOG.warnf(e, "Job %s is over, but its attempts file stays behind", request.jobId());
        }
    }

    /** The source, which must lie under the media root's {@code sources/}: a request cannot point elsewhere. */
    private Path source(TranscodeRequested request) {
        Path sources = mediaRoot.resolve("sources");
        Path source = mediaRoot.resolve(request.source().path()).normalize();
        if (!source.startsWith(sources)) {
            throw new TranscodeFailure(FailureCode.INPUT_NOT_ALLOWED,
                    "The source path " + request.source().path() + " is not under sources/");
        }
        return source;
    }

    private Path jobDirectory(TranscodeRequested request) {
        return mediaRoot.resolve("renditions").resolve(request.videoId().toString()).resolve(request.jobId().toString());
    }

    /** {@code attempt} 0: no attempt was recorded (a cancelled job skipped, a full disk), so none is reported. */
    private static TranscodeFailed failed(TranscodeRequested request, FailureCode code, String message, int attempt) {
        return new TranscodeFailed(UUID.randomUUID(), TranscodeFailed.TYPE, EventJson.SCHEMA_VERSION,
                request.videoId(), request.jobId(), Instant.now(), code.name(), message, code.retryable(),
                attempt == 0 ? null : attempt);
    }

    private static void discard(Path staging, Exception failure) {
        try {
            deleteRecursively(staging);
        } catch (UncheckedIOException e) {
            failure.addSuppressed(e);
            LOG.warnf(e, "Could not remove the staging directory %s", staging);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + directory, e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }
}
