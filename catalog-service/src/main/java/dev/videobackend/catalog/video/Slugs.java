package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ValidationException;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Slugs: lower-case ASCII words joined by dashes, as the {@code video_slug_format} constraint also requires. */
final class Slugs {

    static final int MAX_LENGTH = 100;
    /** Room left for a collision suffix such as {@code -12} when a slug is derived. */
    private static final int MAX_DERIVED_LENGTH = MAX_LENGTH - 8;
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");

    private Slugs() {
    }

    /** A slug from a title: accents folded ({@code é} to {@code e}), anything else non-alphanumeric a dash. */
    static String fromTitle(String title) {
        String folded = MARKS.matcher(Normalizer.normalize(title, Normalizer.Form.NFKD)).replaceAll("");
        String dashed = NON_ALPHANUMERIC.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll("-");
        String cut = dashed.length() > MAX_DERIVED_LENGTH ? dashed.substring(0, MAX_DERIVED_LENGTH) : dashed;
        String trimmed = cut.replaceAll("^-+|-+$", "");
        return trimmed.isEmpty() ? "video" : trimmed;
    }

    /** The slug a client chose, checked. */
    static String require(String slug) {
        if (slug == null || slug.length() > MAX_LENGTH || !FORMAT.matcher(slug).matches()) {
            throw new ValidationException("slug must have 1 to " + MAX_LENGTH
                    + " characters: lower-case letters and digits, in words joined by single dashes");
        }
        return slug;
    }

    /** The {@code n}th candidate for a derived slug: the base, then {@code base-2}, {@code base-3}... */
    static String candidate(String base, int n) {
        return n <= 1 ? base : base + "-" + n;
    }
}
