package dev.videobackend.catalog.video;

import java.util.EnumSet;
import java.util.Set;

/** Where a video is in its life; {@link #canMoveTo} is the state machine every change goes through. */
public enum VideoStatus {
    /** Created; no source uploaded yet. */
    AWAITING_UPLOAD,
    /** The source is stored but no transcode is queued. */
    UPLOADED,
    /** A transcode request is committed and waits for the transcoder. */
    QUEUED,
    /** The transcoder reports progress. */
    PROCESSING,
    /** Renditions are published and playable. */
    READY,
    /** The last transcode failed; the failure says why. */
    FAILED;

    private Set<VideoStatus> next() {
        return switch (this) {
            case AWAITING_UPLOAD -> EnumSet.of(UPLOADED, QUEUED);
            case UPLOADED -> EnumSet.of(QUEUED);
            // A new upload re-queues from any settled or running state.
            case QUEUED -> EnumSet.of(QUEUED, PROCESSING, READY, FAILED);
            case PROCESSING -> EnumSet.of(QUEUED, PROCESSING, READY, FAILED);
            case READY, FAILED -> EnumSet.of(QUEUED);
        };
    }

    public boolean canMoveTo(VideoStatus target) {
        return next().contains(target);
    }
}
