package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.EventJson;
import dev.videobackend.transcoder.events.TranscodeCompleted;
import dev.videobackend.transcoder.events.TranscodeFailed;
import dev.videobackend.transcoder.events.TranscodeRequested;
import dev.videobackend.transcoder.events.TranscoderEvent;
import dev.videobackend.transcoder.transcode.FailureCode;
import dev.videobackend.transcoder.transcode.Ladder;
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
 * is not encoded again: its recorded completion is sent again, so a redelivered request is harmless.
 */
@ApplicationScoped
public class TranscodeJobs {

    static final String COMPLETION_RECORD = ".completed.json";
    private static final Logger LOG = Logger.getLogger(TranscodeJobs.class);

    private final Path mediaRoot;
    private final LadderTranscoder transcoder;
    private final TranscoderEvents events;
    private final Duration progressInterval;

    TranscodeJobs(TranscoderConfig config, TranscoderEvents events) {
        this.mediaRoot = config.media().root().toAbsolutePath().normalize();
        this.transcoder = new LadderTranscoder(new LadderTranscoder.Settings(
                new Ladder(config.ladder().rungs()), config.input().allowedFormats(),
                config.ladder().keyframeIntervalSeconds(), config.ladder().audioBitrate(), config.encoderThreads(),
                config.limits().toSourceLimits()));
        this.events = events;
        this.progressInterval = config.progressInterval();
    }

    public void run(TranscodeRequested request) {
        Path published = jobDirectory(request);
        Path completion = published.resolve(COMPLETION_RECORD);
        if (Files.isRegularFile(completion)) {
            LOG.infof("Job %s of video %s was already published; sending its completion again", request.jobId(),
                    request.videoId());
            events.sendFinal(EventJson.readCompleted(readString(completion)));
            return;
        }
        Path staging = published.resolveSibling("." + request.jobId() + ".partial");
        long started = System.nanoTime();
        TranscoderEvent outcome;
        try {
            deleteRecursively(staging);
            Files.createDirectories(staging);
            LadderTranscoder.Result result = transcoder.transcode(source(request), staging,
                    new ProgressReporter(request.videoId(), request.jobId(), progressInterval, events::sendProgress));
            TranscodeCompleted completed = new CompletionEvent(staging, mediaRoot.relativize(published))
                    .build(request, result, (System.nanoTime() - started) / 1e9, null);
            Files.writeString(staging.resolve(COMPLETION_RECORD), EventJson.write(completed));
            Files.move(staging, published, StandardCopyOption.ATOMIC_MOVE);
            outcome = completed;
            LOG.infof("Job %s of video %s: %d renditions in %.1f s", request.jobId(), request.videoId(),
                    completed.renditions().size(), completed.elapsedSeconds());
        } catch (TranscodeFailure e) {
            LOG.infof("Job %s of video %s failed with %s: %s", request.jobId(), request.videoId(), e.code(), e.getMessage());
            outcome = failed(request, e.code(), e.getMessage());
            discard(staging, e);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Job %s of video %s failed unexpectedly", request.jobId(), request.videoId());
            outcome = failed(request, FailureCode.INTERNAL, "The transcoder failed unexpectedly; retrying may help");
            discard(staging, e);
        }
        events.sendFinal(outcome);
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

    private static TranscodeFailed failed(TranscodeRequested request, FailureCode code, String message) {
        return new TranscodeFailed(UUID.randomUUID(), TranscodeFailed.TYPE, EventJson.SCHEMA_VERSION,
                request.videoId(), request.jobId(), Instant.now(), code.name(), message, code.retryable());
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
