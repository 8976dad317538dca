package dev.videobackend.catalog.media;

import dev.videobackend.catalog.error.PayloadTooLargeException;
import dev.videobackend.catalog.error.ValidationException;
import jakarta.enterprise.context.ApplicationScoped;

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
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared media directory. Sources are written under a hidden temporary name and moved into place only when
 * complete and accepted, so that a broken or refused upload is never visible; names are generated here, never
 * taken from clients.
 */
@ApplicationScoped
public class MediaStorage {

    static final String SOURCES = "sources";
    static final String RENDITIONS = "renditions";
    static final int COPY_BUFFER_BYTES = 64 * 1024;
    private static final String PARTIAL_SUFFIX = ".part";
    /** {@link #newPartialSource}'s names; a resumable upload's are {@code .upload-<id>.part}. */
    private static final Pattern WHOLE_UPLOAD_PARTIAL = Pattern.compile(
            "\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" + Pattern.quote(PARTIAL_SUFFIX));
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path root;

    MediaStorage(MediaConfig config) {
        this.root = config.root().toAbsolutePath().normalize();
    }

    /** A new hidden file name beside the video's sources, for a whole upload to stream into. */
    public Path newPartialSource(UUID videoId) {
        return sourceDirectory(videoId).resolve("." + UUID.randomUUID() + PARTIAL_SUFFIX);
    }

    /**
     * Streams {@code body} into {@code partial} (from {@link #newPartialSource}), in constant memory whatever the
     * size, and forces it to disk. When it fails, what it wrote is the caller's to remove, through
     * {@link FileDeletions}.
     */
    public ReceivedSource receiveSource(UUID videoId, Path partial, InputStream body, long maxBytes) {
        try {
            Files.createDirectories(partial.getParent());
            MessageDigest sha256 = sha256();
            long size = copy(body, requireUnderRoot(partial), sha256, maxBytes);
            if (size == 0) {
                throw new ValidationException("The upload is empty: send the video file as the request body");
            }
            return new ReceivedSource(videoId, partial, size, HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the source of video " + videoId, e);
        }
    }

    /** Creates the empty partial file of a resumable upload, beside the video's sources and as hidden as theirs. */
    public Path createPartialSource(UUID videoId, UUID uploadId) {
        Path partial = partialSource(videoId, uploadId);
        try {
            Files.createDirectories(partial.getParent());
            Files.createFile(partial);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the upload file of video " + videoId, e);
        }
        return partial;
    }

    /** Where the partial file of a resumable upload is. */
    public Path partialSource(UUID videoId, UUID uploadId) {
        return sourceDirectory(videoId).resolve(".upload-" + uploadId + PARTIAL_SUFFIX);
    }

    /** Exclusive write access to a resumable upload's partial file; refused while another request holds it. */
    public PartialSourceWriter openPartialSource(Path partial) {
        return PartialSourceWriter.open(requireUnderRoot(partial));
    }

    /** A partial file that has all its bytes, with its SHA-256, read back in constant memory. */
    public ReceivedSource completedPartialSource(UUID videoId, Path partial) {
        try (InputStream in = Files.newInputStream(requireUnderRoot(partial))) {
            MessageDigest sha256 = sha256();
            byte[] buffer = new byte[COPY_BUFFER_BYTES];
            long size = 0;
            int read;
            while ((read = in.read(buffer)) != -1) {
                sha256.update(buffer, 0, read);
                size += read;
            }
            return new ReceivedSource(videoId, partial, size, HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read back the upload " + partial, e);
        }
    }

    /** The first bytes of a received file, at most {@code count}, for recognising its format. */
    public byte[] head(ReceivedSource received, int count) {
        try (InputStream in = Files.newInputStream(received.file())) {
            return in.readNBytes(count);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the upload " + received.file(), e);
        }
    }

    /**
     * Moves a received source into place under a new server-generated name: from now on it is a source. When it
     * fails, the received file is the caller's to remove.
     */
    public StoredSource commitSource(ReceivedSource received) {
        String name = UUID.randomUUID().toString();
        try {
            Files.move(received.file(), received.file().resolveSibling(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the source of video " + received.videoId(), e);
        }
        return new StoredSource(SOURCES + "/" + received.videoId() + "/" + name, received.sizeBytes(), received.sha256());
    }

    /** A file under the media root as a path relative to it, the form {@link FileDeletions} records. */
    public String relativize(Path file) {
        return root.relativize(requireUnderRoot(file)).toString();
    }

    /** Every stored file of a video: its sources and its renditions. */
    public static List<String> videoDirectories(UUID videoId) {
        return List.of(SOURCES + "/" + videoId, RENDITIONS + "/" + videoId);
    }

    /** The published output of one transcode job. */
    public static String jobDirectory(UUID videoId, UUID jobId) {
        return RENDITIONS + "/" + videoId + "/" + jobId;
    }

    /** The partial file of a resumable upload, relative to the media root. */
    public String partialSourcePath(UUID videoId, UUID uploadId) {
        return relativize(partialSource(videoId, uploadId));
    }

    /**
     * Removes a file, or a directory with everything under it, given relative to the media root; what is already
     * gone counts as removed. Blocking.
     */
    void removeTree(String relativePath) {
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

    /**
     * Removes the partial files of whole uploads ({@link #newPartialSource}) that nothing writes any more: a
     * {@code PUT} cut short by a crash of the catalog leaves its file behind, and no row owns it. A live upload
     * writes at least once per idle timeout (a body idle that long is refused and its file removed), so a file left
     * untouched for {@code idleFor}, longer than that, is abandoned. Resumable uploads' files belong to their rows
     * and are left alone. Returns how many files went.
     */
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }

    private static long copy(InputStream body, Path target, MessageDigest digest, long maxBytes) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        long size = 0;
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int read;
            while ((read = readBody(body, buffer, size)) != -1) {
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

    private static int readBody(InputStream body, byte[] buffer, long receivedSoFar) {
        try {
            return body.read(buffer);
        } catch (IOException e) {
            throw BodyBrokeOffException.discarded(receivedSoFar, e);
        }
    }

    /**
     * Where the file of a rendition would be, for delivery, or empty for a path that may not be served: only what
     * lies under {@code renditions/} can be reached. Looks at no file: whether it exists is for the caller to find
     * out, off the event loop.
     */
    public Optional<Path> rendition(String relativePath) {
        for (String segment : relativePath.split("/", -1)) {
            if (!SAFE_SEGMENT.matcher(segment).matches()) {
                return Optional.empty();
            }
        }
        Path renditions = root.resolve(RENDITIONS);
        Path file = renditions.resolve(relativePath).normalize();
        return file.startsWith(renditions) ? Optional.of(file) : Optional.empty();
    }

}
