package dev.videobackend.catalog.media;

import dev.videobackend.catalog.error.PayloadTooLargeException;
import dev.videobackend.catalog.error.ValidationException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared media directory. Sources are written under a hidden temporary name and moved into place only when
 * complete and accepted, so that a broken or refused upload is never visible; names are generated here, never
 * taken from clients.
 */
public class FilesystemMediaStorage implements MediaStorage {

    private static final String PARTIAL_SUFFIX = ".part";
    /** {@link #newPartialSource}'s names; a resumable upload's are {@code .upload-<id>.part}. */
    private static final Pattern WHOLE_UPLOAD_PARTIAL = Pattern.compile(
            "\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" + Pattern.quote(PARTIAL_SUFFIX));

    private final Path root;

    FilesystemMediaStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String newPartialSource(UUID videoId) {
        return relativize(sourceDirectory(videoId).resolve("." + UUID.randomUUID() + PARTIAL_SUFFIX));
    }

    /** Streams into the hidden file in constant memory whatever the size, and forces it to disk. */
    @Override
    public ReceivedSource receiveSource(UUID videoId, String partialPath, InputStream body, long maxBytes) {
        Path partial = file(partialPath);
        try {
            Files.createDirectories(partial.getParent());
            MessageDigest sha256 = MediaStorage.sha256();
            long size = copy(body, partial, sha256, maxBytes);
            if (size == 0) {
                throw new ValidationException("The upload is empty: send the video file as the request body");
            }
            return new ReceivedSource(videoId, partialPath, size, HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the source of video " + videoId, e);
        }
    }

    /** The empty partial file of a resumable upload, beside the video's sources and as hidden as theirs. */
    @Override
    public int removeAbandonedPartialSources(Duration idleFor) {
        Path sources = root.resolve(SOURCES);
        if (!Files.isDirectory(sources)) {
            return 0;
        }
        FileTime before = FileTime.from(Instant.now().minus(idleFor));
        int removed = 0;
        try (Stream<Path> files = Files.walk(sources, 2)) {
            for (Path file : files.filter(path -> WHOLE_UPLOAD_PARTIAL.matcher(path.getFileName().toString()).matches())
                    .toList()) {
                try {
                    if (Files.getLastModifiedTime(file).compareTo(before) < 0 && Files.deleteIfExists(file)) {
                        removed++;
                    }
                } catch (NoSuchFileException e) {
                    // completed or removed meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not look for abandoned uploads under " + sources, e);
        }
        return removed;
    }

    @Override
    public PartialSource createPartialSource(UUID videoId, UUID uploadId) {
        String partialPath = partialSourcePath(videoId, uploadId);
        Path partial = file(partialPath);
        try {
            Files.createDirectories(partial.getParent());
            Files.createFile(partial);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the upload file of video " + videoId, e);
        }
        return new PartialSource(partialPath, null);
    }

    @Override
    public String partialSourcePath(UUID videoId, UUID uploadId) {
        return relativize(sourceDirectory(videoId).resolve(".upload-" + uploadId + PARTIAL_SUFFIX));
    }

    /** A file lock, so that two chunks never interleave, whichever replica on the volume they reach. */
    @Override
    public PartialSourceWriter openPartialSource(PartialSource partial) {
        return FilePartialSourceWriter.open(file(partial.path()));
    }

    /** The SHA-256 read back in constant memory. */
    @Override
    public ReceivedSource completedPartialSource(UUID videoId, PartialSource partialSource) {
        String partialPath = partialSource.path();
        Path partial = file(partialPath);
        try (InputStream in = Files.newInputStream(partial)) {
            MessageDigest sha256 = MediaStorage.sha256();
            byte[] buffer = new byte[COPY_BUFFER_BYTES];
            long size = 0;
            int read;
            while ((read = in.read(buffer)) != -1) {
                sha256.update(buffer, 0, read);
                size += read;
            }
            return new ReceivedSource(videoId, partialPath, size, HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read back the upload " + partial, e);
        }
    }

    @Override
    public byte[] head(ReceivedSource received, int count) {
        try (InputStream in = Files.newInputStream(file(received.path()))) {
            return in.readNBytes(count);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the upload " + received.path(), e);
        }
    }

    /** Moves the hidden file into place under a new server-generated name, with one rename. */
    @Override
    public StoredSource commitSource(ReceivedSource received) {
        String name = UUID.randomUUID().toString();
        Path file = file(received.path());
        try {
            Files.move(file, file.resolveSibling(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the source of video " + received.videoId(), e);
        }
        return new StoredSource(SOURCES + "/" + received.videoId() + "/" + name, received.sizeBytes(), received.sha256());
    }

    private String relativize(Path file) {
        return root.relativize(requireUnderRoot(file)).toString();
    }

    private Path file(String relativePath) {
        return requireUnderRoot(root.resolve(relativePath));
    }

    @Override
    public void removeTree(String relativePath) {
        Path target = requireUnderRoot(root.resolve(relativePath));
        if (target.equals(root)) {
            throw new IllegalArgumentException("Refusing to remove the media root");
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(target, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                    if (failure instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw failure;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null && !(failure instanceof NoSuchFileException)) {
                        throw failure;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // removed concurrently: what was asked for is done
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove " + relativePath, e);
        }
    }

    private Path sourceDirectory(UUID videoId) {
        return root.resolve(SOURCES).resolve(videoId.toString());
    }

    private Path requireUnderRoot(Path file) {
        Path normalized = file.toAbsolutePath().normalize();
        if (!normalized.startsWith(root)) {
            throw new IllegalArgumentException("Not under the media root: " + file);
        }
        return normalized;
    }

    private static long copy(InputStream body, Path target, MessageDigest digest, long maxBytes) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        long size = 0;
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int read;
            while ((read = MediaStorage.readBody(body, buffer, 0, buffer.length, size)) != -1) {
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
            // Durable before it can become visible under its final name.
            out.force(true);
        }
        return size;
    }

    /**
     * Where the file of a rendition would be, for delivery, or empty for a path that may not be served. Looks at no
     * file: whether it exists is for the caller to find out, off the event loop.
     */
    public Optional<Path> rendition(String relativePath) {
        return MediaStorage.renditionKey(relativePath).map(key -> root.resolve(key).normalize())
                .filter(file -> file.startsWith(root.resolve(RENDITIONS)));
    }

    @Override
    public String toString() {
        return "the media directory " + root;
    }

}
