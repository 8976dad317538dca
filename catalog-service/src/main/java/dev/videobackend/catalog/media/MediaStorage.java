package dev.videobackend.catalog.media;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where sources and renditions are stored: the media directory shared with the transcoder
 * ({@link FilesystemMediaStorage}) or an S3 bucket ({@link S3MediaStorage}), chosen by {@code catalog.storage.type}.
 * Both name what they store by the same relative paths, {@code sources/{videoId}/{name}} and
 * {@code renditions/{videoId}/{jobId}/...}: files under the media root, or object keys under the bucket's prefix.
 * An upload becomes a source only once it is complete and accepted; names are generated here, never taken from
 * clients. Every method blocks: for worker threads.
 */
public interface MediaStorage {

    String SOURCES = "sources";
    String RENDITIONS = "renditions";
    int COPY_BUFFER_BYTES = 64 * 1024;

    /** A new hidden name beside the video's sources, for a whole upload to stream into. */
    String newPartialSource(UUID videoId);

    /**
     * Streams {@code body} into {@code partial} (from {@link #newPartialSource}) in constant memory whatever the
     * size, durably. When it fails, what it stored is the caller's to remove, through {@link FileDeletions}.
     */
    ReceivedSource receiveSource(UUID videoId, String partial, InputStream body, long maxBytes);

    /**
     * Removes what whole uploads ({@link #newPartialSource}) cut short by a crash of the catalog left behind, which
     * no row owns: a live upload writes at least once per idle timeout, so what was untouched for {@code idleFor},
     * longer than that, is abandoned. Resumable uploads' parts belong to their rows and are left alone. Returns how
     * many went.
     */
    int removeAbandonedPartialSources(Duration idleFor);

    /** Creates the empty partial source of a resumable upload. */
    PartialSource createPartialSource(UUID videoId, UUID uploadId);

    /** Where the partial source of a resumable upload is. */
    String partialSourcePath(UUID videoId, UUID uploadId);

    /** Everything a resumable upload may have stored, for its removal. */
    default List<String> partialSourcePaths(UUID videoId, UUID uploadId) {
        return List.of(partialSourcePath(videoId, uploadId));
    }

    /** Write access to a resumable upload's partial source, in the state saved with its offset. */
    PartialSourceWriter openPartialSource(PartialSource partial);

    /**
     * A partial source that has all its bytes, made whole, with its SHA-256 read back in constant memory. It is
     * still not the video's source: {@link #commitSource} makes it one.
     */
    ReceivedSource completedPartialSource(UUID videoId, PartialSource partial);

    /**
     * A resumable upload's partial source that {@link #completedPartialSource} made whole, although the acceptance
     * that should have followed never committed (the catalog stopped between the two), as that method returns it;
     * empty while it is still partial. Where making it whole is undone by a restart, always empty.
     */
    default Optional<ReceivedSource> completedEarlier(UUID videoId, PartialSource partial, long length) {
        return Optional.empty();
    }

    /** The first bytes of a received source, at most {@code count}, for recognising its format. */
    byte[] head(ReceivedSource received, int count);

    /**
     * Puts a received source in place under a server-generated name: from now on it is a source. When it fails,
     * the received source is the caller's to remove.
     */
    StoredSource commitSource(ReceivedSource received);

    /**
     * Removes a file, or a directory with everything under it (every object under the prefix), given by its
     * relative path; what is already gone counts as removed.
     */
    void removeTree(String relativePath);

    /** Every stored file of a video: its sources and its renditions. */
    static List<String> videoDirectories(UUID videoId) {
        return List.of(SOURCES + "/" + videoId, RENDITIONS + "/" + videoId);
    }

    /** The published output of one transcode job. */
    static String jobDirectory(UUID videoId, UUID jobId) {
        return RENDITIONS + "/" + videoId + "/" + jobId;
    }

    /**
     * The relative path of a rendition asked for by a media URL's path ({@code {videoId}/{jobId}/{file}}), or empty
     * for one that may not be served: only plain names under {@code renditions/}, none hidden.
     */
    static Optional<String> renditionKey(String mediaPath) {
        for (String segment : mediaPath.split("/", -1)) {
            if (!Safe.SEGMENT.matcher(segment).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(RENDITIONS + "/" + mediaPath);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }

    /** Reads from an upload's body; a body that breaks off throws {@link BodyBrokeOffException}, nothing kept. */
    static int readBody(InputStream body, byte[] buffer, int offset, int length, long receivedSoFar) {
        try {
            return body.read(buffer, offset, length);
        } catch (IOException e) {
            throw BodyBrokeOffException.discarded(receivedSoFar, e);
        }
    }

    /** Holds the pattern: an interface's fields are public. */
    final class Safe {
        private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

        private Safe() {
        }
    }
}
