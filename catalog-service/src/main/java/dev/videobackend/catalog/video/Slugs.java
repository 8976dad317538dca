package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ValidationException;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Slugs: lower-case ASCII words joined by dashes, as the {@code video_slug_format} constraint also requires, ending
 * in a random part ({@code sunset-over-the-bay-k3x9q2m7}). The words come from the title, or from the owner; the
 * random part makes every slug unique without looking at other videos, so that a slug never tells how many videos
 * share a title, and asking for one never reveals that a hidden video holds it.
 */
final class Slugs {

    static final int MAX_LENGTH = 100;
    static final int RANDOM_LENGTH = 8;
    /** What the words may take: the rest is the dash and the random part. */
    static final int MAX_WORDS_LENGTH = MAX_LENGTH - RANDOM_LENGTH - 1;
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Slugs() {
    }

    /** The words of a title: accents folded ({@code é} to {@code e}), anything else non-alphanumeric a dash. */
    static String fromTitle(String title) {
        String folded = MARKS.matcher(Normalizer.normalize(title, Normalizer.Form.NFKD)).replaceAll("");
        String dashed = NON_ALPHANUMERIC.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll("-");
        String cut = dashed.length() > MAX_WORDS_LENGTH ? dashed.substring(0, MAX_WORDS_LENGTH) : dashed;
        String trimmed = cut.replaceAll("^-+|-+$", "");
        return trimmed.isEmpty() ? "video" : trimmed;
    }

    /** The words a client chose for a slug, checked. */
    static String requireWords(String words) {
        if (words == null || words.length() > MAX_WORDS_LENGTH || !FORMAT.matcher(words).matches()) {
            throw new ValidationException("slug must have 1 to " + MAX_WORDS_LENGTH
                    + " characters: lower-case letters and digits, in words joined by single dashes");
        }
        return words;
    }

    /** A new slug of these words: the words, a dash, and a fresh random part. */
    static String withRandomPart(String words) {
        StringBuilder slug = new StringBuilder(words.length() + 1 + RANDOM_LENGTH).append(words).append('-');
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            slug.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return slug.toString();
    }
}
