package dev.videobackend.catalog.video;

import dev.videobackend.catalog.media.MediaConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Removes what no row references any more: a video's {@code sources/{id}} and {@code renditions/{id}} once it is
 * deleted, or the directory of a job whose completion arrived after the job stopped being current. Called after
 * the transaction that made the files orphans has committed; blocking, so off the event loop.
 */
@ApplicationScoped
public class VideoFiles {

    private final Path root;

    VideoFiles(MediaConfig config) {
        this.root = config.root().toAbsolutePath().normalize();
    }

    /** Every stored file of a deleted video. */
    public void deleteVideo(UUID videoId) {
        deleteTree(root.resolve("sources").resolve(videoId.toString()));
        deleteTree(root.resolve("renditions").resolve(videoId.toString()));
    }

    /** The published output of one job. */
    public void deleteJob(UUID videoId, UUID jobId) {
        deleteTree(root.resolve("renditions").resolve(videoId.toString()).resolve(jobId.toString()));
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
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
            throw new UncheckedIOException("Could not delete " + directory, e);
        }
    }
}
