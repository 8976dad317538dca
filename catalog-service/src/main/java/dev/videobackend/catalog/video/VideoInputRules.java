package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ValidationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The documented rules of what clients write (create, update) and search for. Text never holds what PostgreSQL
 * refuses (NUL), what misleads readers (control characters, the bidirectional overrides and isolates of "Trojan
 * source" attacks) or broken UTF-16 (a lone surrogate); a refusal names the field and the rule.
 */
public final class VideoInputRules {

    static final int MAX_TITLE = 200;
    static final int MAX_DESCRIPTION = 5000;
    static final int MAX_TAGS = 20;
    public static final int MAX_SEARCH = 200;
    public static final int MAX_OWNER = 255;
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern TAG = Pattern.compile("[a-z0-9_-]{1,40}");
    private static final String UNSAFE = "control characters (such as NUL) or bidirectional overrides (U+202A to "
            + "U+202E, U+2066 to U+2069)";

    private VideoInputRules() {
    }

    static String requireTitle(String title) {
        String stripped = requireSafe("title", title == null ? "" : title.strip(), false);
        if (stripped.isEmpty() || stripped.length() > MAX_TITLE) {
            throw new ValidationException("title must have 1 to " + MAX_TITLE + " characters");
        }
        return stripped;
    }

    static String requireDescription(String description) {
        String stripped = requireSafe("description", description == null ? "" : description.strip(), true);
        if (stripped.length() > MAX_DESCRIPTION) {
            throw new ValidationException("description must have at most " + MAX_DESCRIPTION + " characters");
        }
        return stripped;
    }

    static List<String> requireTags(List<String> tags) {
        if (tags == null) {
            return new ArrayList<>();
        }
        if (tags.size() > MAX_TAGS) {
            throw new ValidationException("a video has at most " + MAX_TAGS + " tags");
        }
        List<String> normalized = new ArrayList<>();
        for (String tag : tags) {
            String lower = tag == null ? "" : tag.strip().toLowerCase(Locale.ROOT);
            if (!TAG.matcher(lower).matches()) {
                throw new ValidationException("tag '" + printable(tag) + "' must have 1 to 40 characters among letters, "
                        + "digits, '-' and '_'");
            }
            if (!normalized.contains(lower)) {
                normalized.add(lower);
            }
        }
        return normalized;
    }

    public static String requireCategory(String category) {
        String normalized = category == null ? "" : category.strip().toLowerCase(Locale.ROOT);
        if (!CATEGORY.matcher(normalized).matches()) {
            throw new ValidationException("category must have 1 to 64 characters among letters, digits, '-' and '_'");
        }
        return normalized;
    }

    /** A search term: bounded, so that one request cannot make PostgreSQL parse a 256 KiB query. */
    public static String requireSearch(String search) {
        if (search.length() > MAX_SEARCH) {
            throw new ValidationException("search must have at most " + MAX_SEARCH + " characters");
        }
        return requireSafe("search", search, false);
    }

    /** A user name to filter by, as stored: at most as long as the column. */
    public static String requireOwnerName(String owner) {
        if (owner.length() > MAX_OWNER) {
            throw new ValidationException("owner must have at most " + MAX_OWNER + " characters");
        }
        return requireSafe("owner", owner, false);
    }

    /** Refuses control characters (but line breaks and tabs where {@code multiLine}), bidi overrides, lone surrogates. */
    private static String requireSafe(String field, String text, boolean multiLine) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowedBreak = multiLine && (c == '\n' || c == '\r' || c == '\t');
            if ((Character.isISOControl(c) && !allowedBreak) || isBidiControl(c)) {
                throw new ValidationException(field + " must not contain " + UNSAFE
                        + (multiLine ? ", other than line breaks and tabs" : "")
                        + "; found U+" + String.format("%04X", (int) c) + " at position " + i);
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    throw new ValidationException(field + " is not valid Unicode: a lone surrogate at position " + i);
                }
                i++;
            }
        }
        return text;
    }

    /** Embeddings and overrides (U+202A to U+202E) and isolates (U+2066 to U+2069): they reorder what readers see. */
    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /** A refused value, quoted back without the characters that made it unsafe to show. */
    private static String printable(String value) {
        return value == null ? "" : value.codePoints()
                .map(c -> Character.isISOControl(c) || (c <= 0xFFFF && isBidiControl((char) c)) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
