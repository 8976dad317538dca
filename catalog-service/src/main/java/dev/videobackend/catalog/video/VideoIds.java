package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ValidationException;

import java.util.UUID;

/** Video ids arrive as text from GraphQL and URLs; a malformed one is the caller's error, not ours. */
public final class VideoIds {

    private VideoIds() {
    }

    public static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ValidationException("Not a video id (a UUID): " + id);
        }
    }
}
