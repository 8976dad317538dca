package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.TranscodeRequested;
import dev.videobackend.transcoder.transcode.FailureCode;
import dev.videobackend.transcoder.transcode.TranscodeFailure;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A bucket holds sources and outputs; the local scratch directory holds a job's fetched source and staged output
 * while it runs. Publishing uploads the staged files in parallel, then the master playlist, then the completion
 * record: a reader that finds the master playlist finds every file it names, and a job whose completion record is
 * there is never published again. What a failed publish uploaded is deleted again, so no object is left that
 * nothing references; if the bucket refuses that too, the job's next attempt overwrites it (same keys), and the
 * video's deletion removes it.
 */
final class S3JobStorage implements JobStorage, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3JobStorage.class);
    static final String MASTER_PLAYLIST = "master.m3u8";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path scratch;
    private final long maxSourceBytes;
    private final ExecutorService uploads;
    /** Runs before each upload; tests make the bucket fail through it. */
    private volatile Consumer<String> beforeUpload = key -> { };

    S3JobStorage(S3Client s3, JobStorageConfig config) {
        this.s3 = s3;
        this.bucket = config.s3().bucket().orElseThrow(() -> new IllegalStateException(
                "transcoder.storage.s3.bucket is required with transcoder.storage.type=s3"));
        this.prefix = config.s3().prefix().orElse("");
        this.scratch = config.scratch().directory().toAbsolutePath().normalize();
        this.maxSourceBytes = config.scratch().maxSourceBytes();
        this.uploads = Executors.newFixedThreadPool(config.s3().uploadConcurrency(), runnable -> {
            Thread thread = new Thread(runnable, "s3-publish");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Path stagingRoot(UUID videoId) {
        return scratch.resolve("renditions").resolve(videoId.toString());
    }

    @Override
    public LocalSource fetchSource(TranscodeRequested.Source source, UUID jobId) throws IOException {
        Path relative = JobStorage.checkedSourcePath(source.path());
        String key = key(relative.toString());
        long size;
        try {
            size = s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
        } catch (NoSuchKeyException e) {
            throw missing(relative);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw missing(relative);
            }
            throw e;
        }
        if (size > maxSourceBytes) {
            throw new TranscodeFailure(FailureCode.TOO_LARGE, "The source's size of " + size
                    + " bytes is over the limit of " + maxSourceBytes + " bytes");
        }
        // A directory of the job's own, so that the file keeps its name and nothing else lands beside it.
        Path directory = Files.createDirectories(scratch.resolve("sources")).resolve(jobId + "-" + UUID.randomUUID());
        Files.createDirectory(directory);
        Path file = directory.resolve(relative.getFileName());
        try {
            long started = System.nanoTime();
            s3.getObject(b -> b.bucket(bucket).key(key), file);
            LOG.infof("Job %s: fetched its source, %d bytes, in %.1f s", jobId, size, (System.nanoTime() - started) / 1e9);
        } catch (RuntimeException e) {
            deleteRecursively(directory);
            if (e instanceof NoSuchKeyException) {
                throw missing(relative);
            }
            throw e;
        }
        return new LocalSource() {
            @Override
            public Path path() {
                return file;
            }

            @Override
            public void close() throws IOException {
                deleteRecursively(directory);
            }
        };
    }

    private static TranscodeFailure missing(Path relative) {
        return new TranscodeFailure(FailureCode.SOURCE_NOT_FOUND, "The source file is missing: " + relative.getFileName());
    }

    @Override
    public Optional<String> completionRecord(UUID videoId, UUID jobId) {
        return readRecord(JobStorage.jobPath(videoId, jobId) + "/" + COMPLETION_RECORD);
    }

    @Override
    public boolean publish(StagingDirectory staged, UUID videoId, UUID jobId) throws IOException {
        String jobPath = JobStorage.jobPath(videoId, jobId);
        if (completionRecord(videoId, jobId).isPresent()) {
            return false;
        }
        Path root = staged.path();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        Path master = root.resolve(MASTER_PLAYLIST);
        Path record = root.resolve(COMPLETION_RECORD);
        long started = System.nanoTime();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        long bytes = 0;
        for (Path file : files) {
            if (!file.equals(master) && !file.equals(record)) {
                bytes += Files.size(file);
                String key = jobPath + "/" + root.relativize(file);
                keys.add(key);
                pending.add(CompletableFuture.runAsync(() -> upload(file, key), uploads));
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
            keys.add(jobPath + "/" + MASTER_PLAYLIST);
            upload(master, jobPath + "/" + MASTER_PLAYLIST);
        } catch (RuntimeException e) {
            pending.forEach(upload -> upload.cancel(false));
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((done, failure) -> null).join();
            RuntimeException failure = e instanceof CompletionException && e.getCause() instanceof RuntimeException
                    runtime ? runtime : e;
            deleteQuietly(keys, failure);
            throw failure;
        }
        boolean first = putIfAbsent(record, jobPath + "/" + COMPLETION_RECORD);
        LOG.infof("Job %s: uploaded %d files, %d bytes, in %.1f s", jobId, files.size(), bytes,
                (System.nanoTime() - started) / 1e9);
        return first;
    }

    private void upload(Path file, String relativeKey) {
        beforeUpload.accept(relativeKey);
        s3.putObject(b -> b.bucket(bucket).key(key(relativeKey)).contentType(contentType(file)), RequestBody.fromFile(file));
    }

    /** Deletes what a failed publish uploaded, 1,000 keys per request; a failure is only noted on {@code cause}. */
    private void deleteQuietly(List<String> relativeKeys, RuntimeException cause) {
        try {
            for (int from = 0; from < relativeKeys.size(); from += 1000) {
                List<ObjectIdentifier> batch = relativeKeys.subList(from, Math.min(relativeKeys.size(), from + 1000))
                        .stream().map(k -> ObjectIdentifier.builder().key(key(k)).build()).toList();
                s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Makes each upload run {@code hook} first (null: nothing); it fails the upload by throwing. */
    void beforeUpload(Consumer<String> hook) {
        beforeUpload = hook == null ? key -> { } : hook;
    }

    /** The completion record is written only if absent: of two runs publishing at once, one stands. */
    private boolean putIfAbsent(Path file, String relativeKey) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key(relativeKey)).contentType("application/json").ifNoneMatch("*"),
                    RequestBody.fromFile(file));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    static String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        } else if (name.endsWith(".m4s")) {
            return "video/iso.segment";
        } else if (name.endsWith(".mp4")) {
            return "video/mp4";
        } else if (name.endsWith(".jpg")) {
            return "image/jpeg";
        } else if (name.endsWith(".vtt")) {
            return "text/vtt";
        } else if (name.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }

    @Override
    public Optional<String> readRecord(String name) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(name))).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** One PUT: S3 stores an object whole or not at all, and reads after it see it. */
    @Override
    public void writeRecord(String name, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key(name)).contentType("text/plain"), RequestBody.fromString(content));
    }

    @Override
    public void deleteRecord(String name) {
        s3.deleteObject(b -> b.bucket(bucket).key(key(name)));
    }

    private String key(String relative) {
        return prefix + relative;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        uploads.shutdownNow();
    }

    @Override
    public String toString() {
        return "the bucket " + bucket + (prefix.isEmpty() ? "" : " under " + prefix) + ", scratch in " + scratch;
    }
}
