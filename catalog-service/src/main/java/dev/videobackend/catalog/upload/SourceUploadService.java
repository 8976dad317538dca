package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.PayloadTooLargeException;
import dev.videobackend.catalog.error.UnsupportedMediaException;
import dev.videobackend.catalog.media.BodyBrokeOffException;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.catalog.media.MediaConfig;
import dev.videobackend.catalog.media.MediaStorage;
import dev.videobackend.catalog.vertx.OnVertxContext;
import dev.videobackend.catalog.media.ReceivedSource;
import dev.videobackend.catalog.media.StoredSource;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.transaction.Transactions;
import dev.videobackend.catalog.video.UploaderQuotas;
import dev.videobackend.catalog.video.VideoService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.function.Function;

/**
 * Takes in a video's source, whether sent whole ({@code PUT}) or in resumable chunks (tus): checks the caller, the
 * size and the quotas before reading, reads within the caller's upload slots, recognises the container from the
 * first bytes, moves the file into place, then commits the new job, its events and the removal of the source it
 * replaces together.
 */
@ApplicationScoped
public class SourceUploadService {

    static final String ACCEPTED_FORMATS = "MP4/MOV/3GP, Matroska/WebM, AVI, MPEG-TS, MPEG-PS, FLV, Ogg, ASF/WMV or MXF";
    private static final Logger LOG = Logger.getLogger(SourceUploadService.class);

    private final VideoService videos;
    private final UploaderQuotas quotas;
    private final MediaStorage storage;
    private final FileDeletions fileDeletions;
    private final Transactions transactions;
    private final UploadSlots slots;
    private final long maxUploadBytes;

    SourceUploadService(VideoService videos, UploaderQuotas quotas, MediaStorage storage, FileDeletions fileDeletions,
            Transactions transactions, UploadSlots slots, MediaConfig config) {
        this.videos = videos;
        this.quotas = quotas;
        this.storage = storage;
        this.fileDeletions = fileDeletions;
        this.transactions = transactions;
        this.slots = slots;
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
        requireUploadAllowed(videoId, declaredLength == null ? 0 : declaredLength, caller);
        ReceivedSource received;
        try (UploadSlots.Slot slot = slots.take(caller, body)) {
            InputStream checkedBody = refuseEarlyIfNotVideo(slot.body());
            String partial = storage.newPartialSource(videoId);
            try {
                received = storage.receiveSource(videoId, partial, checkedBody, maxUploadBytes);
            } catch (RuntimeException e) {
                throw removing(partial, e);
            }
        }
        return accept(received, caller, accepted -> Uni.createFrom().voidItem());
    }

    /** Refuses a length over the configured limit. */
    void requireWithinLimit(long length) {
        if (length > maxUploadBytes) {
            throw new PayloadTooLargeException("The upload is larger than the limit of " + maxUploadBytes + " bytes");
        }
    }

    /**
     * Refuses, in this order: an anonymous caller (whatever the video), a video that is missing or hidden from the
     * caller (both {@code NOT_FOUND}), a caller who may not change it, and {@code bytes} over today's quota.
     */
    void requireUploadAllowed(UUID videoId, long bytes, Caller caller) {
        VideoAccess.requireSignedIn(caller);
        OnVertxContext.await(() -> Panache.withSession(() -> videos.requireUploadable(videoId, caller)
                .call(video -> quotas.requireRoomFor(video.ownerId(), bytes, caller))));
    }

    /**
     * Makes a received source the video's source: checks its format, moves it into place and commits the new
     * transcode job with its events, the removal of the source it replaces and whatever {@code alsoInTransaction}
     * writes, in one transaction. A refused or failed source leaves nothing behind.
     */
    UploadAccepted accept(ReceivedSource received, Caller caller,
            Function<VideoService.SourceAccepted, Uni<?>> alsoInTransaction) {
        try {
            requireVideo(storage.head(received, SourceFormat.SNIFF_BYTES));
        } catch (RuntimeException e) {
            throw removing(received.path(), e);
        }
        StoredSource stored;
        try {
            stored = storage.commitSource(received);
        } catch (RuntimeException e) {
            throw removing(received.path(), e);
        }
        VideoService.SourceAccepted source;
        try {
            source = transactions.commitAndWait(() -> videos.acceptSource(received.videoId(), stored, caller)
                    .call(alsoInTransaction));
        } catch (RuntimeException e) {
            throw removing(stored.path(), e);
        }
        return new UploadAccepted(received.videoId().toString(), source.status(), source.jobId().toString(),
                stored.sizeBytes(), stored.sha256());
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
            throw BodyBrokeOffException.discarded(0, e);
        }
        return buffered;
    }

    boolean isSource(String path) {
        return OnVertxContext.await(() -> Panache.withSession(() -> videos.isSource(path)));
    }

    private static void requireVideo(byte[] head) {
        if (SourceFormat.sniff(head, head.length).isEmpty()) {
            throw new UnsupportedMediaException("The upload is not a video container this catalog takes ("
                    + ACCEPTED_FORMATS + "), judging by its first bytes");
        }
    }

    /**
     * Removes what a refused or failed upload wrote, unless a video's source is stored there: in a bucket an upload's
     * object has its final key, and a concurrent completion of the same upload may have accepted it. If even
     * recording its removal fails, the failure says so.
     */
    RuntimeException removing(String file, RuntimeException failure) {
        try {
            if (isSource(file)) {
                return failure;
            }
            fileDeletions.removeUnreferenced(file);
        } catch (RuntimeException cleanup) {
            LOG.warnf(cleanup, "Could not remove %s after a refused or failed upload", file);
            failure.addSuppressed(cleanup);
        }
        return failure;
    }
}
