package dev.videobackend.transcoder.transcode;

import java.util.List;

/**
 * What a transcode is asked to do, known once the source is probed and the ladder planned: every rung encodes
 * {@link #framesPerRung()} frames at its own size. A job's time budget follows from it.
 *
 * @param sourceSeconds the probed duration of the source
 * @param frameRate the renditions' constant frame rate
 */
public record Workload(double sourceSeconds, FrameRate frameRate, List<Rung> rungs) {

    public Workload {
        rungs = List.copyOf(rungs);
    }

    /** Frames each rung encodes: the duration at the renditions' frame rate, gaps and all filled. */
    public long framesPerRung() {
        return (long) Math.ceil(Math.max(0, sourceSeconds) * frameRate.value());
    }

    /** Pixels to encode over all rungs: the frames per rung times the sum of the rungs' picture sizes. */
    public double pixelsToEncode() {
        return (double) framesPerRung() * rungs.stream().mapToLong(rung -> (long) rung.width() * rung.height()).sum();
    }
}
