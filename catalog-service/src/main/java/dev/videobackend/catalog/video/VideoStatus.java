package dev.videobackend.catalog.video;

import java.util.EnumSet;
import java.util.Set;

/** Where a video is in its life; {@link #canMoveTo} is the state machine every change goes through. */
public enum VideoStatus {
    /** Created; no source uploaded yet. */
    AWAITING_UPLOAD,
    /** The source is stored but no transcode is queued (a cancelled transcode of a video never completed). */
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
            // retranscode
            case UPLOADED -> EnumSet.of(QUEUED);
            // a new upload re-queues; cancelTranscode returns to UPLOADED, or to READY with an earlier output
            case QUEUED, PROCESSING -> EnumSet.of(QUEUED, PROCESSING, READY, FAILED, UPLOADED);
            // a new upload or a retranscode
            case READY, FAILED -> EnumSet.of(QUEUED);
        };
    }

    public boolean canMoveTo(VideoStatus target) {
        return next().contains(target);
    }
}
