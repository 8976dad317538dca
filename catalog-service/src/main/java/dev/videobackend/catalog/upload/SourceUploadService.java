package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.error.PayloadTooLargeException;
import dev.videobackend.catalog.error.UnsupportedMediaException;
import dev.videobackend.catalog.events.OutboxRelay;
import dev.videobackend.catalog.media.FileDeletion;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.catalog.media.MediaConfig;
import dev.videobackend.catalog.media.MediaStorage;
import dev.videobackend.catalog.media.OnVertxContext;
import dev.videobackend.catalog.media.ReceivedSource;
import dev.videobackend.catalog.media.StoredSource;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.video.Video;
import dev.videobackend.catalog.video.VideoService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Takes in a video's source, whether sent whole ({@code PUT}) or in resumable chunks (tus): checks the caller and
 * the size before reading, recognises the container from the first bytes, moves the file into place, then commits
 * the new job, its event and the removal of the source it replaces together.
 */
@ApplicationScoped
public class SourceUploadService {

    static final String ACCEPTED_FORMATS = "MP4/MOV/3GP, Matroska/WebM, AVI, MPEG-TS, MPEG-PS, FLV, Ogg, ASF/WMV or MXF";
    private static final Logger LOG = Logger.getLogger(SourceUploadService.class);

    private final VideoService videos;
    private final MediaStorage storage;
    private final OutboxRelay relay;
    private final FileDeletions fileDeletions;
    private final long maxUploadBytes;

    SourceUploadService(VideoService videos, MediaStorage storage, OutboxRelay relay, FileDeletions fileDeletions,
            MediaConfig config) {
        this.videos = videos;
        this.storage = storage;
        this.relay = relay;
        this.fileDeletions = fileDeletions;
        this.maxUploadBytes = config.maxUploadBytes();
    }

    long maxUploadBytes() {
        return maxUploadBytes;
    }

    /**
     * Takes a whole source from a request body.
     *
     * @param declaredLength the request's {@code Content-Length}, or {@code null} for a chunked body, whose size
     *                       is then checked while it streams
     */
    public UploadAccepted upload(UUID videoId, Caller caller, Long declaredLength, InputStream body) {
        if (declaredLength != null) {
            requireWithinLimit(declaredLength);
        }
        // Refuse an unknown video or a caller without the right before reading a byte of a possibly huge body.
        requireUploadAllowed(videoId, caller);
        InputStream checkedBody = refuseEarlyIfNotVideo(body);
        Path partial = storage.newPartialSource(videoId);
        ReceivedSource received;
        try {
            received = storage.receiveSource(videoId, partial, checkedBody, maxUploadBytes);
        } catch (RuntimeException e) {
            throw removing(storage.relativize(partial), e);
        }
        return accept(received, accepted -> Uni.createFrom().voidItem());
    }

    /** Refuses a length over the configured limit. */
    void requireWithinLimit(long length) {
        if (length > maxUploadBytes) {
            throw new PayloadTooLargeException("The upload is larger than the limit of " + maxUploadBytes + " bytes");
        }
    }

    /** Refuses an unknown video, an anonymous caller, and a caller who may not change the video. */
    void requireUploadAllowed(UUID videoId, Caller caller) {
        Video video = OnVertxContext.await(() -> Panache.withSession(() -> Video.<Video>findById(videoId)));
        if (video == null) {
            throw new NotFoundException("No video " + videoId);
        }
        VideoAccess.requireEditable(video, caller);
    }

    /**
     * Makes a received source the video's source: checks its format, moves it into place and commits the new
     * transcode job with its {@code TranscodeRequested} event, the removal of the source it replaces and whatever
     * {@code alsoInTransaction} writes, in one transaction. A refused or failed source leaves nothing behind.
     */
    UploadAccepted accept(ReceivedSource received, Function<VideoService.SourceAccepted, Uni<?>> alsoInTransaction) {
        try {
            requireVideo(storage.head(received, SourceFormat.SNIFF_BYTES));
        } catch (RuntimeException e) {
            throw removing(storage.relativize(received.file()), e);
        }
        StoredSource stored;
        try {
            stored = storage.commitSource(received);
        } catch (RuntimeException e) {
            throw removing(storage.relativize(received.file()), e);
        }
        Accepted accepted;
        try {
            accepted = OnVertxContext.await(() -> Panache.withTransaction(() -> videos.acceptSource(received.videoId(), stored)
                    .call(alsoInTransaction)
                    .chain(source -> FileDeletions.record(source.replacedSourcePath() == null ? List.of()
                            : List.of(source.replacedSourcePath())).map(removals -> new Accepted(source, removals)))));
        } catch (RuntimeException e) {
            throw removing(stored.path(), e);
        }
        relay.publishSoon();
        fileDeletions.attempt(accepted.removals());
        VideoService.SourceAccepted source = accepted.source();
        return new UploadAccepted(received.videoId().toString(), source.status(), source.jobId().toString(),
                stored.sizeBytes(), stored.sha256());
    }

    /** The committed source, and the removal of the one it replaced, to carry out now that it is committed. */
    private record Accepted(VideoService.SourceAccepted source, List<FileDeletion> removals) {
    }

    /**
     * Checks the first bytes of a whole-body upload before storing anything, so that a large file of the wrong
     * kind is refused at once; {@link #accept} checks the stored file again, as it does for resumable uploads.
     */
    private static InputStream refuseEarlyIfNotVideo(InputStream body) {
        BufferedInputStream buffered = new BufferedInputStream(body, SourceFormat.SNIFF_BYTES);
        buffered.mark(SourceFormat.SNIFF_BYTES);
        try {
            byte[] head = buffered.readNBytes(SourceFormat.SNIFF_BYTES);
            buffered.reset();
            // An empty body gets its own, clearer refusal when it is stored.
            if (head.length > 0) {
                requireVideo(head);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the upload", e);
        }
        return buffered;
    }

    private static void requireVideo(byte[] head) {
        if (SourceFormat.sniff(head, head.length).isEmpty()) {
            throw new UnsupportedMediaException("The upload is not a video container this catalog takes ("
                    + ACCEPTED_FORMATS + "), judging by its first bytes");
        }
    }

    /** Removes what a refused or failed upload wrote; if even recording its removal fails, the failure says so. */
    private RuntimeException removing(String file, RuntimeException failure) {
        try {
            fileDeletions.removeUnreferenced(file);
        } catch (RuntimeException cleanup) {
            LOG.warnf(cleanup, "Could not remove %s after a refused or failed upload", file);
            failure.addSuppressed(cleanup);
        }
        return failure;
    }
}
