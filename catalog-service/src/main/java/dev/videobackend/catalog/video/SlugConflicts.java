package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ConflictException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import java.util.List;

/**
 * The database's unique constraint on slugs decides who gets a slug, so that concurrent creates of equal titles
 * never share one: the loser of a race sees the violation and tries the next free suffix.
 */
final class SlugConflicts {

    static final int MAX_ATTEMPTS = 10;
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

    static ConflictException taken(String slug) {
        return new ConflictException("The slug " + slug + " is already taken");
    }

    /** {@code base-N} with N one more than the highest suffix in use. */
    static Uni<String> nextFree(String base) {
        return Panache.withSession(() -> Video.<Video>find("slug = ?1 or slug like ?2", base, base + "-%")
                        .project(SlugOnly.class).list())
                .map(taken -> Slugs.candidate(base, highestSuffix(base, taken) + 1));
    }

    private static int highestSuffix(String base, List<SlugOnly> taken) {
        int highest = 1;
        for (SlugOnly row : taken) {
            String rest = row.slug().substring(base.length());
            if (rest.matches("-[0-9]{1,6}")) {
                highest = Math.max(highest, Integer.parseInt(rest.substring(1)));
            }
        }
        return highest;
    }

    /** A projection: only the slug column is read. */
    record SlugOnly(String slug) {
    }
}
