package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.EventJson;
import dev.videobackend.transcoder.events.TranscodeProgress;
import dev.videobackend.transcoder.transcode.LadderTranscoder;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Turns the pipeline's frequent progress callbacks into events: one per stage change, otherwise at most one per
 * interval, and the percentage never moves backwards.
 */
final class ProgressReporter implements LadderTranscoder.ProgressListener {

    private final UUID videoId;
    private final UUID jobId;
    private final int attempt;
    private final long intervalNanos;
    private final Consumer<TranscodeProgress> sink;
    private LadderTranscoder.Stage lastStage;
    private long lastSentNanos;
    private double percent;

    ProgressReporter(UUID videoId, UUID jobId, int attempt, Duration interval, Consumer<TranscodeProgress> sink) {
        this.videoId = videoId;
        this.jobId = jobId;
        this.attempt = attempt;
        this.intervalNanos = interval.toNanos();
        this.sink = sink;
    }

    @Override
    public void onProgress(LadderTranscoder.Progress progress) {
        long now = System.nanoTime();
        boolean stageChanged = progress.stage() != lastStage;
        if (!stageChanged && now - lastSentNanos < intervalNanos) {
            return;
        }
        lastStage = progress.stage();
        lastSentNanos = now;
        percent = Math.max(percent, progress.percent());
        sink.accept(new TranscodeProgress(UUID.randomUUID(), TranscodeProgress.TYPE, EventJson.SCHEMA_VERSION,
                videoId, jobId, Instant.now(), progress.stage().name(), round(percent),
                round(progress.framesPerSecond()), round(progress.speed()), round(progress.etaSeconds()),
                progress.renditionsDone(), progress.renditionsTotal(), attempt));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
