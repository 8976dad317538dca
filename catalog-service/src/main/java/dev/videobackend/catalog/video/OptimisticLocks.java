package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ConflictException;
import jakarta.persistence.OptimisticLockException;
import org.hibernate.StaleStateException;

import java.util.UUID;

/** A concurrent change won the race for the row's version: the loser is told to read again, never overwrites. */
final class OptimisticLocks {

    private OptimisticLocks() {
    }

    static boolean isStale(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StaleStateException || cause instanceof OptimisticLockException) {
                return true;
            }
        }
        return false;
    }

    static ConflictException conflict(UUID id) {
        return new ConflictException("Video " + id + " was changed concurrently: read it again and reapply the change");
    }
}
