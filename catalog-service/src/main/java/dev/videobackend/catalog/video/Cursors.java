package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ValidationException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/** Opaque page cursors: a position in the list's order (created_at descending, then id descending). */
final class Cursors {

    private static final String VERSION = "v1";

    private Cursors() {
    }

    record Position(Instant createdAt, UUID id) {
    }

    static String of(Video video) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, video.createdAt);
        String raw = VERSION + ":" + micros + ":" + video.id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Position parse(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !VERSION.equals(parts[0])) {
                throw invalid();
            }
            return new Position(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS), UUID.fromString(parts[2]));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ValidationException invalid() {
        return new ValidationException("after is not a cursor this API returned");
    }
}
