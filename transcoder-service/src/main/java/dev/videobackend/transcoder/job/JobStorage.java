package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.TranscodeRequested;
import dev.videobackend.transcoder.transcode.FailureCode;
import dev.videobackend.transcoder.transcode.TranscodeFailure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * Where jobs find their sources and publish their outputs: the media directory shared with the catalog
 * ({@link FilesystemJobStorage}), or an S3 bucket ({@link S3JobStorage}). Either way, FFmpeg reads and writes only
 * local files, and names stay the same: a source is {@code sources/{videoId}/{name}} and a job's output
 * {@code renditions/{videoId}/{jobId}/...}, relative to the media root or to the bucket's prefix (object keys).
 */
interface JobStorage {

    /** The file, among a job's published outputs, whose presence says the job is published, and with what. */
    String COMPLETION_RECORD = ".completed.json";

    /** Where this process stages the output of the video's jobs before publishing it. */
    Path stagingRoot(UUID videoId) throws IOException;

    /**
     * The job's source as a local file FFmpeg may open, fetched first if it is remote; closing it removes a fetched
     * copy. Fails with {@code INPUT_NOT_ALLOWED} for a path outside {@code sources/}, {@code SOURCE_NOT_FOUND} when
     * it is missing.
     */
    LocalSource fetchSource(TranscodeRequested.Source source, UUID jobId) throws IOException;

    /** The completion recorded when the job was published; empty if it is not. */
    Optional<String> completionRecord(UUID videoId, UUID jobId) throws IOException;

    /**
     * Publishes the staged output (its completion record included) as the job's, so that no reader sees it half
     * published; false, publishing nothing more, if another run of the job published first.
     */
    boolean publish(StagingDirectory staged, UUID videoId, UUID jobId) throws IOException;

    /** A small record every replica shares, such as a job's attempt count; {@code name} is a relative path. */
    Optional<String> readRecord(String name) throws IOException;

    /** Writes the record durably: once this returns, a crash does not bring the old content back. */
    void writeRecord(String name, String content) throws IOException;

    void deleteRecord(String name) throws IOException;

    /** A job's output, relative to the media root or the bucket's prefix. */
    static String jobPath(UUID videoId, UUID jobId) {
        return "renditions/" + videoId + "/" + jobId;
    }

    /** The request's source path, normalised; one that leads outside {@code sources/} is refused. */
    static Path checkedSourcePath(String path) {
        Path relative = Path.of(path).normalize();
        if (relative.isAbsolute() || !relative.startsWith("sources") || relative.getNameCount() < 2) {
            throw new TranscodeFailure(FailureCode.INPUT_NOT_ALLOWED,
                    "The source path " + path + " is not under sources/");
        }
        return relative;
    }

    /** A source FFmpeg reads through the file protocol, so the input allow-lists keep their meaning. */
    interface LocalSource extends AutoCloseable {
        Path path();

        @Override
        void close() throws IOException;
    }
}
