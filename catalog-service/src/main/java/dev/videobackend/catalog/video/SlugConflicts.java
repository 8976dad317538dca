package dev.videobackend.catalog.video;

/**
 * The database's unique constraint on slugs has the last word: were two random parts ever to collide, the loser
 * of the race sees the violation and draws another.
 */
final class SlugConflicts {

    static final int MAX_ATTEMPTS = 5;
    private static final String CONSTRAINT = "video_slug_unique";

    private SlugConflicts() {
    }

    static boolean isSlugTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains(CONSTRAINT)) {
                return true;
            }
        }
        return false;
    }
}
