package dev.videobackend.catalog.media;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A complete, durable source still under its hidden temporary name: not visible as a source, not queued.
 * {@link MediaStorage#commitSource} moves it into place.
 */
public record ReceivedSource(UUID videoId, Path file, long sizeBytes, String sha256) {
}
