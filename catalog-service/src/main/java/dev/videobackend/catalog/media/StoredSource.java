package dev.videobackend.catalog.media;

/** An uploaded original in place under the media root: {@code path} relative to it, its size and SHA-256. */
public record StoredSource(String path, long sizeBytes, String sha256) {
}
