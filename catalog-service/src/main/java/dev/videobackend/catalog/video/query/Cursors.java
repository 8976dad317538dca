package dev.videobackend.catalog.video.query;

import dev.videobackend.catalog.error.ValidationException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque page cursors: a position in the list's order. Plain lists go by created_at descending, then id
 * descending; searches put the relevance rank first. A search cursor carries the rank's exact bits, so that the
 * next page starts precisely after it however many videos share the rank.
 */
final class Cursors {

    private static final String NEWEST_FIRST = "v1";
    private static final String BY_RANK = "r1";

    private Cursors() {
    }

    /** Where a page ends; {@code rank} is null in a list without a search term. */
    record Position(Float rank, Instant createdAt, UUID id) {
    }

    static String of(Position position) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, position.createdAt());
        String raw = position.rank() == null
                ? NEWEST_FIRST + ":" + micros + ":" + position.id()
                : BY_RANK + ":" + Integer.toHexString(Float.floatToIntBits(position.rank())) + ":" + micros + ":"
                        + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names; it must come from a list of the same kind (searched or not). */
    static Position parse(String cursor, boolean search) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (search && parts.length == 4 && BY_RANK.equals(parts[0])) {
                return new Position(Float.intBitsToFloat(Integer.parseUnsignedInt(parts[1], 16)), instant(parts[2]),
                        UUID.fromString(parts[3]));
            }
            if (!search && parts.length == 3 && NEWEST_FIRST.equals(parts[0])) {
                return new Position(null, instant(parts[1]), UUID.fromString(parts[2]));
            }
            throw invalid();
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static Instant instant(String micros) {
        return Instant.EPOCH.plus(Long.parseLong(micros), ChronoUnit.MICROS);
    }

    private static ValidationException invalid() {
        return new ValidationException("after is not a cursor this API returned");
    }
}
