package dev.videobackend.transcoder.job;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where one attempt of one replica writes a job's output before publishing it:
 * {@code .{jobId}.{replica}-{attempt}.partial} beside the job's published directory, so that two replicas running
 * the same job (a rebalance under way, or a replica the group gave up on that still runs) never write into, or
 * delete, each other's files.
 * <p>
 * Beside it, {@code .{jobId}.{replica}-{attempt}.lock} is held with an exclusive file lock for as long as the attempt
 * lives. The kernel (or the NFS server, once the client's lease expires) releases it when the process dies, however
 * it dies, so a staging directory whose lock can be taken is abandoned: {@link #removeAbandoned} removes those, and
 * only those, when the job is picked up again. On a volume without file locks nothing is taken for abandoned.
 */
final class StagingDirectory implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StagingDirectory.class);
    private static final String STAGING_SUFFIX = ".partial";
    private static final String LOCK_SUFFIX = ".lock";

    private final Path directory;
    private final Path lockFile;
    private final FileChannel lockChannel;

    private StagingDirectory(Path directory, Path lockFile, FileChannel lockChannel) {
        this.directory = directory;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
    }

    /**
     * Creates the attempt's empty staging directory in {@code videoDirectory}, its lock taken first: a directory is
     * never seen without a held lock while its attempt lives.
     */
    static StagingDirectory create(Path videoDirectory, UUID jobId, String replica, int attempt) throws IOException {
        String name = "." + jobId + "." + replica + "-" + attempt;
        Files.createDirectories(videoDirectory);
        Path lockFile = videoDirectory.resolve(name + LOCK_SUFFIX);
        // Locked under a temporary name, then renamed: another replica never finds the lock file unlocked.
        Path unlocked = videoDirectory.resolve(name + LOCK_SUFFIX + ".new");
        FileChannel channel = FileChannel.open(unlocked, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() == null) {
                throw new IOException("Could not lock the new file " + unlocked);
            }
            Files.move(unlocked, lockFile, StandardCopyOption.ATOMIC_MOVE);
            Path directory = Files.createDirectory(videoDirectory.resolve(name + STAGING_SUFFIX));
            return new StagingDirectory(directory, lockFile, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(unlocked);
            Files.deleteIfExists(lockFile);
            throw e;
        }
    }

    Path path() {
        return directory;
    }

    /**
     * Publishes the output as {@code published} with one rename; returns false, publishing nothing, if another run
     * published the job first (the rename of a directory onto a non-empty one fails: a published job is never
     * replaced).
     */
    boolean publishAs(Path published) throws IOException {
        try {
            Files.move(directory, published, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileSystemException e) {
            if (Files.isDirectory(published)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Removes what is left of the attempt (nothing once published), then its lock file, then lets the lock go. What
     * cannot be removed is logged and stays: the job's outcome does not depend on it, and once this process is gone
     * the next attempt at the job, if any, removes it.
     */
    @Override
    public void close() {
        try (lockChannel) {
            deleteRecursively(directory);
            Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            LOG.warnf(e, "Could not remove the staging directory %s or its lock file", directory);
        }
    }

    /**
     * Removes what attempts at {@code jobId} left when their process died: each staging directory and lock file whose
     * lock can be taken, and each staging directory without a lock file (its attempt deletes the lock only after the
     * directory). Those of {@code replica}, this process, are its own attempts and never touched: a second channel on
     * a file this process locks would release that lock when it closes.
     *
     * @return how many abandoned attempts were removed
     */
    static int removeAbandoned(Path videoDirectory, UUID jobId, String replica) throws IOException {
        if (!Files.isDirectory(videoDirectory)) {
            return 0;
        }
        String prefix = "." + jobId + ".";
        Set<String> attempts = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(videoDirectory, prefix + "*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(prefix + replica + "-")) {
                    continue;
                }
                if (name.endsWith(STAGING_SUFFIX)) {
                    attempts.add(name.substring(0, name.length() - STAGING_SUFFIX.length()));
                } else if (name.endsWith(LOCK_SUFFIX)) {
                    attempts.add(name.substring(0, name.length() - LOCK_SUFFIX.length()));
                }
            }
        }
        int removed = 0;
        for (String attempt : attempts) {
            if (removeIfAbandoned(videoDirectory.resolve(attempt + STAGING_SUFFIX),
                    videoDirectory.resolve(attempt + LOCK_SUFFIX))) {
                removed++;
            }
        }
        return removed;
    }

    private static boolean removeIfAbandoned(Path staging, Path lockFile) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            deleteRecursively(staging);
            return true;
        }
        try (channel) {
            if (channel.tryLock() == null) {
                return false;
            }
            deleteRecursively(staging);
            Files.deleteIfExists(lockFile);
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }

    /** Deletes the directory and everything in it; one that is already gone (another replica swept it) is fine. */
    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException gone) {
            // Nothing left to delete.
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e.getCause();
            }
        }
    }
}
