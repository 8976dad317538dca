package dev.videobackend.catalog.media;

import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.error.PayloadTooLargeException;
import dev.videobackend.catalog.error.ValidationException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The shared media directory. Sources are written under a temporary name and moved into place only when
 * complete, so that a broken upload is never visible; names are generated here, never taken from clients.
 */
@ApplicationScoped
public class MediaStorage {

    static final String SOURCES = "sources";
    static final String RENDITIONS = "renditions";
    private static final int COPY_BUFFER_BYTES = 64 * 1024;
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path root;

    MediaStorage(MediaConfig config) {
        this.root = config.root().toAbsolutePath().normalize();
    }

    /** Streams {@code body} into a new source file of the video; constant memory whatever the size. */
    public StoredSource storeSource(UUID videoId, InputStream body, long maxBytes) {
        Path directory = root.resolve(SOURCES).resolve(videoId.toString());
        String name = UUID.randomUUID().toString();
        Path partial = directory.resolve("." + name + ".part");
        try {
            Files.createDirectories(directory);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long size = copy(body, partial, sha256, maxBytes);
            if (size == 0) {
                throw new ValidationException("The upload is empty: send the video file as the request body");
            }
            Files.move(partial, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            return new StoredSource(SOURCES + "/" + videoId + "/" + name, size, HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw discard(partial, new UncheckedIOException("Could not store the source of video " + videoId, e));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        } catch (RuntimeException e) {
            throw discard(partial, e);
        }
    }

    /** Removes what a failed upload wrote; a failure to do so is attached to the upload's own failure. */
    private static RuntimeException discard(Path partial, RuntimeException failure) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static long copy(InputStream body, Path target, MessageDigest digest, long maxBytes) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        long size = 0;
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int read;
            while ((read = body.read(buffer)) != -1) {
                size += read;
                if (size > maxBytes) {
                    throw new PayloadTooLargeException("The upload is larger than the limit of " + maxBytes + " bytes");
                }
                digest.update(buffer, 0, read);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            // Durable before it becomes visible under its final name.
            out.force(true);
        }
        return size;
    }

    /** The file of a rendition, for delivery; only what lies under {@code renditions/} can be reached. */
    public Path rendition(String relativePath) {
        String[] segments = relativePath.split("/", -1);
        for (String segment : segments) {
            if (!SAFE_SEGMENT.matcher(segment).matches()) {
                throw new NotFoundException("No media at " + relativePath);
            }
        }
        Path renditions = root.resolve(RENDITIONS);
        Path file = renditions.resolve(relativePath).normalize();
        if (!file.startsWith(renditions) || !Files.isRegularFile(file)) {
            throw new NotFoundException("No media at " + relativePath);
        }
        return file;
    }

    /** Deletes a stored file given by its path relative to the media root, if it is still there. */
    public void delete(String relativePath) {
        Path file = root.resolve(relativePath).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("Not under the media root: " + relativePath);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + file, e);
        }
    }
}
