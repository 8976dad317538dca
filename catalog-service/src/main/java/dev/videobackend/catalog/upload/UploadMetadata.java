package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.ValidationException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The tus {@code Upload-Metadata} header: comma-separated pairs of a key and its Base64-encoded value (which may
 * be absent). Only {@code videoId} is used; a client's file name, if sent, is never used to name anything.
 */
final class UploadMetadata {

    static final String VIDEO_ID = "videoId";

    private UploadMetadata() {
    }

    static Map<String, String> parse(String header) {
        Map<String, String> pairs = new HashMap<>();
        if (header == null || header.isBlank()) {
            return pairs;
        }
        for (String pair : header.split(",")) {
            String[] parts = pair.strip().split(" ", -1);
            if (parts.length > 2 || parts[0].isEmpty()) {
                throw new ValidationException("Upload-Metadata must be comma-separated 'key base64value' pairs");
            }
            String value = parts.length == 2 ? decode(parts[0], parts[1]) : "";
            if (pairs.put(parts[0], value) != null) {
                throw new ValidationException("Upload-Metadata names " + parts[0] + " twice");
            }
        }
        return pairs;
    }

    private static String decode(String key, String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Upload-Metadata value of " + key + " is not Base64");
        }
    }
}
