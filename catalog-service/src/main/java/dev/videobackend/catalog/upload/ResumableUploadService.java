package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.ConflictException;
import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.error.PayloadTooLargeException;
import dev.videobackend.catalog.error.ValidationException;
import dev.videobackend.catalog.media.BodyBrokeOffException;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.catalog.media.MediaStorage;
import dev.videobackend.catalog.media.PartialSource;
import dev.videobackend.catalog.media.ReceivedSource;
import dev.videobackend.catalog.vertx.OnVertxContext;
import dev.videobackend.catalog.media.PartialSourceWriter;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.transaction.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Resumable uploads (tus 1.0): an upload is created with its length, its bytes arrive in chunks at the offset the
 * server acknowledged last, each chunk forced to disk before it is acknowledged; the last chunk hands the file to
 * {@link SourceUploadService#accept}, exactly as a whole upload. State is in PostgreSQL and the partial file, so an
 * upload survives a restart; one left without a chunk for {@code catalog.upload.expire-after} is removed.
 */
@ApplicationScoped
public class ResumableUploadService {

    private static final Logger LOG = Logger.getLogger(ResumableUploadService.class);

    private final SourceUploadService sources;
    private final MediaStorage storage;
    private final FileDeletions fileDeletions;
    private final Transactions transactions;
    private final UploadSlots slots;
    private final Duration expireAfter;
    private final Duration idleTimeout;

    ResumableUploadService(SourceUploadService sources, MediaStorage storage, FileDeletions fileDeletions,
            Transactions transactions, UploadSlots slots, UploadConfig config) {
        this.sources = sources;
        this.storage = storage;
        this.fileDeletions = fileDeletions;
        this.transactions = transactions;
        this.slots = slots;
        this.expireAfter = config.expireAfter();
        this.idleTimeout = config.idleTimeout();
    }

    /** Where an upload stands, as {@code HEAD} and {@code PATCH} report it. */
    public record Status(UUID id, long offset, long length, Instant expiresAt, UploadAccepted accepted) {
    }

    /** Creates an upload of {@code length} bytes for the source of {@code videoId}, which the caller may change. */
    public Status create(UUID videoId, long length, Caller caller) {
        if (length <= 0) {
            throw new ValidationException("Upload-Length must be a positive number of bytes");
        }
        sources.requireWithinLimit(length);
        sources.requireUploadAllowed(videoId, length, caller);
        ResumableUpload upload = new ResumableUpload();
        upload.id = UUID.randomUUID();
        upload.videoId = videoId;
        upload.createdBy = caller.name();
        upload.createdByIssuer = caller.id().issuer();
        upload.createdBySubject = caller.id().subject();
        upload.length = length;
        upload.createdAt = now();
        upload.expiresAt = upload.createdAt.plus(expireAfter);
        PartialSource partial = storage.createPartialSource(videoId, upload.id);
        upload.storageState = partial.state();
        try {
            OnVertxContext.await(() -> Panache.withTransaction(upload::persist));
        } catch (RuntimeException e) {
            try {
                fileDeletions.removeUnreferenced(partial.path());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return status(upload, null);
    }

    public Status status(UUID id, Caller caller) {
        ResumableUpload upload = find(id, caller);
        return recover(upload, caller).orElseGet(() -> status(upload, null));
    }

    /**
     * Writes one chunk at {@code offset}, which must be the acknowledged offset. A chunk that breaks off keeps
     * what arrived. The chunk that completes the upload makes it the video's source and queues its transcode.
     *
     * @param declaredLength the chunk's {@code Content-Length}, or {@code null} when it is sent chunked
     */
    public Status append(UUID id, long offset, Long declaredLength, InputStream body, Caller caller) {
        ResumableUpload upload = find(id, caller);
        Optional<Status> recovered = recover(upload, caller);
        if (recovered.isPresent()) {
            // Its bytes are all stored: the chunk sent again is not needed.
            return recovered.get();
        }
        requireOffset(upload, offset);
        if (declaredLength != null && declaredLength > upload.length - offset) {
            throw new PayloadTooLargeException(PartialSourceWriter.PAST_LENGTH);
        }
        try (UploadSlots.Slot slot = slots.take(caller, body);
                PartialSourceWriter writer = storage.openPartialSource(partial(upload))) {
            // Re-read under the lock: a chunk that held it may have moved the offset since.
            upload = find(id, caller);
            requireOffset(upload, offset);
            long reached;
            try {
                reached = writer.append(offset, slot.body(), upload.length - offset);
            } catch (BodyBrokeOffException e) {
                acknowledge(upload, offset, e.resumeOffset().orElseThrow(), writer.state());
                throw e;
            }
            if (reached < upload.length) {
                return status(acknowledge(upload, offset, reached, writer.state()), null);
            }
            upload.storageState = writer.state();
            ResumableUpload whole = upload;
            return complete(upload, offset, caller,
                    () -> storage.completedPartialSource(whole.videoId, partial(whole)));
        }
    }

    /** Ends an upload the client gives up (tus termination): its row and partial file go. */
    public void terminate(UUID id, Caller caller) {
        ResumableUpload upload = find(id, caller);
        remove(upload);
    }

    /**
     * Removes uploads that have had no chunk for too long, with their partial files, and the files of whole uploads
     * a crash broke off (twice the idle timeout without a byte: no live request writes them).
     */
    @Scheduled(every = "${catalog.upload.cleanup-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void removeAbandoned() {
        int removed = removeExpiredBefore(now());
        if (removed > 0) {
            LOG.infof("Removed %d abandoned uploads", removed);
        }
        int brokenOff = storage.removeAbandonedPartialSources(idleTimeout.multipliedBy(2));
        if (brokenOff > 0) {
            LOG.infof("Removed %d files of whole uploads broken off by a crash", brokenOff);
        }
    }

    /** Removes the uploads whose expiry is before {@code instant}; returns how many. */
    int removeExpiredBefore(Instant instant) {
        List<ResumableUpload> expired = OnVertxContext.await(() -> Panache.withSession(
                () -> ResumableUpload.<ResumableUpload>list("expiresAt < ?1", instant)));
        int removed = 0;
        for (ResumableUpload upload : expired) {
            try {
                remove(upload);
                removed++;
            } catch (RuntimeException e) {
                // One stuck upload must not keep the others: it stays listed, and the next sweep tries again.
                LOG.warnf(e, "Could not remove the abandoned upload %s", upload.id);
            }
        }
        return removed;
    }

    /**
     * An upload whose partial source was made whole but whose acceptance never committed (the catalog stopped
     * between the two) is accepted now, as its last chunk would have been.
     */
    private Optional<Status> recover(ResumableUpload upload, Caller caller) {
        if (upload.complete()) {
            return Optional.empty();
        }
        return storage.completedEarlier(upload.videoId, partial(upload), upload.length)
                .map(received -> complete(upload, upload.uploadOffset, caller, () -> received));
    }

    private Status complete(ResumableUpload upload, long offset, Caller caller, Supplier<ReceivedSource> whole) {
        UploadAccepted accepted;
        try {
            // The offset reaches the length in the transaction that queues the transcode: a crash before it
            // leaves the last chunk unacknowledged, to be sent again (or the upload whole, see recover).
            accepted = sources.accept(whole.get(), caller,
                    ignored -> saveOffset(upload.id, offset, upload.length, now().plus(expireAfter),
                            upload.storageState));
        } catch (RuntimeException e) {
            // A refused source (not a video, say) cannot become acceptable by resuming: the upload ends here.
            try {
                remove(upload);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        upload.uploadOffset = upload.length;
        return status(upload, accepted);
    }

    private ResumableUpload acknowledge(ResumableUpload upload, long from, long reached, String state) {
        Instant expiresAt = now().plus(expireAfter);
        OnVertxContext.await(() -> Panache.withTransaction(() -> saveOffset(upload.id, from, reached, expiresAt,
                state)));
        upload.uploadOffset = reached;
        upload.expiresAt = expiresAt;
        upload.storageState = state;
        return upload;
    }

    /**
     * Moves the offset on, with the storage's state at it, only from where this chunk started: an upload removed
     * meanwhile is gone, and of two chunks sent at once from the same offset only one counts.
     */
    private static Uni<Void> saveOffset(UUID id, long from, long reached, Instant expiresAt, String state) {
        return ResumableUpload.update("uploadOffset = ?1, expiresAt = ?2, storageState = ?3 where id = ?4"
                + " and uploadOffset = ?5", reached, expiresAt, state, id, from).invoke(updated -> {
                    if (updated == 0) {
                        throw new NotFoundException("No upload " + id + ": it expired or was terminated");
                    }
                }).replaceWithVoid();
    }

    private PartialSource partial(ResumableUpload upload) {
        return new PartialSource(storage.partialSourcePath(upload.videoId, upload.id), upload.storageState);
    }

    /**
     * The row goes with the partial file's removal recorded; the file goes right after, or on a later sweep. A
     * complete upload's file is the video's source now (in a bucket, under the same key): only the row goes; so too
     * when a concurrent request completed it meanwhile.
     */
    private void remove(ResumableUpload upload) {
        List<String> stored = upload.complete() ? List.of() : storage.partialSourcePaths(upload.videoId, upload.id)
                .stream().filter(path -> !sources.isSource(path)).toList();
        transactions.commitAndWait(
                () -> ResumableUpload.delete("id", upload.id).chain(() -> FileDeletions.record(stored)));
    }

    /**
     * The upload, if it exists, has not expired, and the caller created it (or is an admin). Someone else's upload
     * is as absent as one that never existed; only a caller without a token is told so, whatever the id.
     */
    private static ResumableUpload find(UUID id, Caller caller) {
        VideoAccess.requireSignedIn(caller);
        ResumableUpload upload = OnVertxContext.await(() -> Panache.withSession(
                () -> ResumableUpload.<ResumableUpload>findById(id)));
        if (upload == null || upload.expiresAt.isBefore(now()) || !(caller.admin() || caller.owns(upload.creator()))) {
            throw new NotFoundException("No upload " + id + ": it never existed, expired or was terminated");
        }
        return upload;
    }

    private static void requireOffset(ResumableUpload upload, long offset) {
        if (upload.complete()) {
            throw new ConflictException("Upload " + upload.id + " is complete");
        }
        if (offset != upload.uploadOffset) {
            throw new ConflictException("Upload-Offset " + offset + " does not match the upload's offset "
                    + upload.uploadOffset + ": ask with HEAD and resume from there");
        }
    }

    private static Status status(ResumableUpload upload, UploadAccepted accepted) {
        return new Status(upload.id, upload.uploadOffset, upload.length, upload.expiresAt, accepted);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
