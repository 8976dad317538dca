package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.ConflictException;
import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.error.SizeMismatchException;
import dev.videobackend.catalog.error.TooManyPartsException;
import dev.videobackend.catalog.error.UnsupportedFeatureException;
import dev.videobackend.catalog.error.UploadExpiredException;
import dev.videobackend.catalog.error.ValidationException;
import dev.videobackend.catalog.media.FileDeletions;
import dev.videobackend.catalog.media.MediaStorage;
import dev.videobackend.catalog.media.MediaStorageProducer;
import dev.videobackend.catalog.media.ReceivedSource;
import dev.videobackend.catalog.media.S3MediaStorage;
import dev.videobackend.catalog.media.StorageConfig;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.transaction.Transactions;
import dev.videobackend.catalog.vertx.OnVertxContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Direct-to-bucket uploads: {@link #start} begins a multipart upload under a new source key of the video and hands
 * the caller a presigned URL per part; the client sends the bytes to the bucket; {@link #complete} completes the
 * multipart upload, checks the object's size against the declared one and then hands it to
 * {@link SourceUploadService#accept}, as PUT and tus do, which sniffs its first bytes with a ranged GET and commits
 * the job and its event. The catalog never reads the bytes, so the source has no SHA-256. Only with media on S3.
 */
@ApplicationScoped
public class DirectUploadService {

    private static final Logger LOG = Logger.getLogger(DirectUploadService.class);
    /** A completion takes seconds; one claimed longer ago than this died with its replica and may be taken over. */
    private static final Duration COMPLETION_CLAIM = Duration.ofMinutes(5);

    private final SourceUploadService sources;
    private final MediaStorage storage;
    private final Optional<S3MediaStorage> bucket;
    private final Transactions transactions;
    private final StorageConfig.DirectUploads config;

    DirectUploadService(SourceUploadService sources, MediaStorage storage, MediaStorageProducer producer,
            Transactions transactions, StorageConfig config) {
        this.sources = sources;
        this.storage = storage;
        this.bucket = producer.bucket();
        this.transactions = transactions;
        this.config = config.s3().directUpload();
    }

    /** A begun direct upload: where each part goes, until when. */
    @Type("DirectUpload")
    public record Started(
            @NonNull @Id @Description("Pass it to completeDirectUpload.") String uploadId,
            @NonNull @Description("Bytes of every part but the last (a BigInteger).") long partSizeBytes,
            @NonNull @Description("The part URLs stop working then, and the upload must be completed before.")
            Instant expiresAt,
            @NonNull @Description("One per part, in order.") List<@NonNull PartUrl> parts) {
    }

    /** Where part {@code number} ({@code sizeBytes} exactly) is sent, with {@code PUT}. */
    @Type("DirectUploadPart")
    public record PartUrl(
            @NonNull int number,
            @NonNull @Description("Exactly this many bytes (a BigInteger): the URL is signed for them.") long sizeBytes,
            @NonNull @Description("PUT the part's bytes here; keep the ETag header of the answer.") String url) {
    }

    /** A part the client sent, with the ETag the bucket answered. */
    @Input("DirectUploadPartInput")
    public record SentPart(
            @NonNull int number,
            @NonNull @Description("The ETag header the bucket answered the part's PUT with.") String etag) {
    }

    /**
     * Begins a direct upload of {@code size} bytes for the source of {@code videoId}, which the caller may change.
     * Refused, before anything is stored: without a bucket, over the upload limit, with more parts than allowed,
     * and as PUT refuses (the caller, the video, the quota).
     */
    public Started start(UUID videoId, long size, Caller caller) {
        S3MediaStorage s3 = requireBucket();
        if (size <= 0) {
            throw new ValidationException("size must be a positive number of bytes");
        }
        sources.requireWithinLimit(size);
        long parts = partsOf(size, config.partSizeBytes());
        if (parts > config.maxParts()) {
            throw new TooManyPartsException("An upload of " + size + " bytes needs " + parts + " parts of "
                    + config.partSizeBytes() + " bytes; at most " + config.maxParts() + " are allowed");
        }
        sources.requireUploadAllowed(videoId, size, caller);
        DirectUpload upload = new DirectUpload();
        upload.id = UUID.randomUUID();
        upload.videoId = videoId;
        upload.createdBy = caller.name();
        upload.createdByIssuer = caller.id().issuer();
        upload.createdBySubject = caller.id().subject();
        upload.path = storage.newPartialSource(videoId);
        upload.sizeBytes = size;
        upload.partSizeBytes = config.partSizeBytes();
        upload.createdAt = now();
        upload.expiresAt = upload.createdAt.plus(config.expiry());
        upload.multipartUploadId = s3.beginDirectUpload(upload.path);
        try {
            OnVertxContext.await(() -> Panache.withTransaction(upload::persist));
        } catch (RuntimeException e) {
            throw sources.removing(upload.path, e);
        }
        List<URI> urls = s3.presignParts(upload.path, upload.multipartUploadId, size, upload.partSizeBytes,
                config.expiry());
        List<PartUrl> partUrls = new ArrayList<>(urls.size());
        for (URI url : urls) {
            int number = partUrls.size() + 1;
            partUrls.add(new PartUrl(number, Math.min(upload.partSizeBytes, size - (number - 1) * upload.partSizeBytes),
                    url.toString()));
        }
        return new Started(upload.id.toString(), upload.partSizeBytes, upload.expiresAt, partUrls);
    }

    /**
     * Completes a direct upload from the parts the client sent, numbered from 1. Refused: an upload that is not
     * the caller's or not this video's ({@code NOT_FOUND}), an expired one, one whose object is not the declared
     * size or not a video (both removed). When the bucket cannot be reached, the upload stays, to be completed
     * again.
     */
    public UploadAccepted complete(UUID videoId, UUID uploadId, List<SentPart> parts, Caller caller) {
        S3MediaStorage s3 = requireBucket();
        DirectUpload upload = find(uploadId, videoId, caller);
        if (upload.expiresAt.isBefore(now())) {
            remove(upload);
            throw new UploadExpiredException("Direct upload " + uploadId + " expired at " + upload.expiresAt
                    + ": start a new one");
        }
        List<String> etags = etagsInOrder(parts, partsOf(upload.sizeBytes, upload.partSizeBytes));
        claim(upload);
        long stored;
        try {
            stored = s3.completeDirectUpload(upload.path, upload.multipartUploadId, etags);
        } catch (RuntimeException e) {
            // The parts can be sent again, the completion retried.
            release(upload);
            throw e;
        }
        if (stored != upload.sizeBytes) {
            remove(upload);
            throw new SizeMismatchException("The upload holds " + stored + " bytes, not the " + upload.sizeBytes
                    + " declared: it was removed; start a new one");
        }
        try {
            return sources.accept(new ReceivedSource(videoId, upload.path, stored, null), caller,
                    accepted -> DirectUpload.delete("id", upload.id));
        } catch (RuntimeException e) {
            // accept removed the object; the row goes with it.
            try {
                remove(upload);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Removes direct uploads past their expiry: the row goes with the removal of its key recorded, which aborts the
     * multipart upload and removes any object completed under it.
     */
    @Scheduled(every = "${catalog.upload.cleanup-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void removeExpired() {
        if (bucket.isEmpty()) {
            return;
        }
        List<DirectUpload> expired = OnVertxContext.await(() -> Panache.withSession(
                () -> DirectUpload.<DirectUpload>list("expiresAt < ?1", now())));
        for (DirectUpload upload : expired) {
            try {
                remove(upload);
            } catch (RuntimeException e) {
                // It stays listed: the next sweep tries again.
                LOG.warnf(e, "Could not remove the expired direct upload %s", upload.id);
            }
        }
        if (!expired.isEmpty()) {
            LOG.infof("Removed %d expired direct uploads", expired.size());
        }
    }

    private S3MediaStorage requireBucket() {
        return bucket.orElseThrow(() -> new UnsupportedFeatureException("Direct uploads need media on S3 "
                + "(catalog.storage.type=s3); upload with PUT or tus instead"));
    }

    private static long partsOf(long size, long partSize) {
        return (size + partSize - 1) / partSize;
    }

    /** The ETags by part number, which must run from 1 without a gap and not past the upload's parts. */
    private static List<String> etagsInOrder(List<SentPart> parts, long partCount) {
        List<SentPart> sorted = parts.stream().sorted(Comparator.comparingInt(SentPart::number)).toList();
        if (sorted.isEmpty() || sorted.size() > partCount) {
            throw new ValidationException("Name between 1 and " + partCount + " parts");
        }
        List<String> etags = new ArrayList<>(sorted.size());
        for (SentPart part : sorted) {
            if (part.number() != etags.size() + 1 || part.etag() == null || part.etag().isBlank()) {
                throw new ValidationException("Parts must be numbered 1, 2, 3... without a gap, each with its ETag");
            }
            etags.add(part.etag());
        }
        return etags;
    }

    /** Marks the completion as under way; one already under way (not stale) is a {@code CONFLICT}. */
    private static void claim(DirectUpload upload) {
        Instant now = now();
        int claimed = OnVertxContext.await(() -> Panache.withTransaction(() -> DirectUpload.update(
                "completingSince = ?1 where id = ?2 and (completingSince is null or completingSince < ?3)",
                now, upload.id, now.minus(COMPLETION_CLAIM))));
        if (claimed == 0) {
            throw new ConflictException("Direct upload " + upload.id + " is being completed; ask for the video");
        }
    }

    private static void release(DirectUpload upload) {
        OnVertxContext.await(() -> Panache.withTransaction(() -> DirectUpload.update(
                "completingSince = null where id = ?1", upload.id)));
    }

    /** The row goes with its key's removal recorded; the multipart upload or object goes right after. */
    private void remove(DirectUpload upload) {
        transactions.commitAndWait(() -> DirectUpload.delete("id", upload.id)
                .chain(() -> FileDeletions.record(List.of(upload.path))));
    }

    /**
     * The upload, if it exists, is for this video and the caller started it (or is an admin). Someone else's upload
     * is as absent as one that never existed.
     */
    private static DirectUpload find(UUID id, UUID videoId, Caller caller) {
        VideoAccess.requireSignedIn(caller);
        DirectUpload upload = OnVertxContext.await(() -> Panache.withSession(
                () -> DirectUpload.<DirectUpload>findById(id)));
        if (upload == null || !upload.videoId.equals(videoId) || !(caller.admin() || caller.owns(upload.creator()))) {
            throw new NotFoundException("No direct upload " + id + " of video " + videoId
                    + ": it never existed, was completed or removed");
        }
        return upload;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
