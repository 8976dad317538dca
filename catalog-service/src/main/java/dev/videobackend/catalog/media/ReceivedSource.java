package dev.videobackend.catalog.media;

import java.util.UUID;

/**
 * A complete, durable source still under its hidden temporary name ({@code path}, relative to the media root or
 * the bucket's prefix): not yet the video's source, not queued. {@link MediaStorage#commitSource} puts it in place.
 */
public record ReceivedSource(UUID videoId, String path, long sizeBytes, String sha256) {
}
