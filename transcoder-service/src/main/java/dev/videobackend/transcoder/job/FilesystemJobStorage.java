package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.TranscodeRequested;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * The media directory shared with the catalog (a {@code ReadWriteMany} volume): sources are read where they lie,
 * outputs are staged beside their published directory and published with one rename.
 */
final class FilesystemJobStorage implements JobStorage {

    private final Path mediaRoot;

    FilesystemJobStorage(Path mediaRoot) {
        this.mediaRoot = mediaRoot.toAbsolutePath().normalize();
    }

    @Override
    public Path stagingRoot(UUID videoId) {
        return mediaRoot.resolve("renditions").resolve(videoId.toString());
    }

    @Override
    public LocalSource fetchSource(TranscodeRequested.Source source, UUID jobId) {
        Path file = mediaRoot.resolve(JobStorage.checkedSourcePath(source.path()));
        return new LocalSource() {
            @Override
            public Path path() {
                return file;
            }

            @Override
            public void close() {
                // The upload stays: it is the catalog's.
            }
        };
    }

    @Override
    public Optional<String> completionRecord(UUID videoId, UUID jobId) throws IOException {
        return readRecord(JobStorage.jobPath(videoId, jobId) + "/" + COMPLETION_RECORD);
    }

    @Override
    public boolean publish(StagingDirectory staged, UUID videoId, UUID jobId) throws IOException {
        return staged.publishAs(mediaRoot.resolve(JobStorage.jobPath(videoId, jobId)));
    }

    @Override
    public Optional<String> readRecord(String name) throws IOException {
        Path file = mediaRoot.resolve(name);
        return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }

    /** Written under a temporary name, forced to disk, renamed, and the rename itself forced. */
    @Override
    public void writeRecord(String name, String content) throws IOException {
        Path file = mediaRoot.resolve(name);
        Path directory = file.getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void deleteRecord(String name) throws IOException {
        Files.deleteIfExists(mediaRoot.resolve(name));
    }

    @Override
    public String toString() {
        return "the media directory " + mediaRoot;
    }
}
