package dev.videobackend.transcoder.transcode;

import dev.videobackend.transcoder.transcode.LadderTranscoder.Progress;
import dev.videobackend.transcoder.transcode.LadderTranscoder.ProgressListener;
import dev.videobackend.transcoder.transcode.LadderTranscoder.Stage;

import java.util.List;

/** Tells the listener where a transcode is: ten times a second at most while encoding. */
final class ProgressMeter {

    private static final long INTERVAL_NANOS = 100_000_000;

    private final ProgressListener listener;
    private final long startNanos = System.nanoTime();
    private List<RungEncoder> rungs = List.of();
    private double durationSeconds;
    private long lastNanos;
    private double percent;

    ProgressMeter(ProgressListener listener) {
        this.listener = listener;
    }

    void probing() {
        listener.onProgress(new Progress(Stage.PROBING, 0, 0, 0, 0, 0, 0, 0));
    }

    /** Encoding begins: progress is measured on these rungs, against the source's duration. */
    void encoding(List<RungEncoder> rungs, double durationSeconds) {
        this.rungs = rungs;
        this.durationSeconds = durationSeconds;
        listener.onProgress(new Progress(Stage.ENCODING, 0, 0, 0, 0, 0, rungs.size(), durationSeconds));
    }

    /** Percent from the slowest rung's written timestamps: what is really done. */
    void update() {
        long now = System.nanoTime();
        if (now - lastNanos < INTERVAL_NANOS) {
            return;
        }
        lastNanos = now;
        double encodedSeconds = rungs.stream().mapToDouble(RungEncoder::encodedSeconds).min().orElse(0);
        double elapsed = (now - startNanos) / 1e9;
        double speed = elapsed > 0 ? encodedSeconds / elapsed : 0;
        percent = Math.max(percent, durationSeconds > 0 ? Math.min(100, 100 * encodedSeconds / durationSeconds) : 0);
        double eta = speed > 0 ? Math.max(0, (durationSeconds - encodedSeconds) / speed) : 0;
        double framesPerSecond = elapsed > 0 ? rungs.get(0).encodedFrames() / elapsed : 0;
        int done = (int) rungs.stream().filter(RungEncoder::finished).count();
        listener.onProgress(new Progress(Stage.ENCODING, percent, framesPerSecond, speed, eta, done, rungs.size(),
                durationSeconds));
    }

    /** {@code done} of the renditions are measured and written. */
    void packaging(int done) {
        listener.onProgress(new Progress(Stage.PACKAGING, 100, 0, 0, 0, done, rungs.size(), durationSeconds));
    }
}
