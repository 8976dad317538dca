package dev.videobackend.catalog.media;

/**
 * A resumable upload's partial source: its path (relative to the media root or the bucket's prefix), and the state
 * the storage needs to resume it, saved with the upload's offset ({@code null} when the file is all the state).
 */
public record PartialSource(String path, String state) {
}
