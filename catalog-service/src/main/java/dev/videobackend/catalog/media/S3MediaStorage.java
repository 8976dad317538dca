package dev.videobackend.catalog.media;

import dev.videobackend.catalog.error.PayloadTooLargeException;
import dev.videobackend.catalog.error.StorageUnavailableException;
import dev.videobackend.catalog.error.ValidationException;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Media in an S3 bucket. A whole upload streams into a multipart upload under its final, server-generated key,
 * one part in memory at a time; it is the video's source only once the catalog's transaction references it, and
 * a refused or failed one is aborted or removed. A resumable (tus) upload is a multipart upload too, resumed from
 * the state saved with its offset ({@link S3PartialSourceWriter}). Removal lists a prefix and deletes up to 1,000 keys per
 * {@code DeleteObjects}, aborting the multipart uploads under it too. A direct upload is a multipart upload whose
 * parts the client sends to presigned URLs; the catalog only begins and completes it.
 */
public class S3MediaStorage implements MediaStorage {

    private static final Logger LOG = Logger.getLogger(S3MediaStorage.class);
    /** The most keys one {@code DeleteObjects} takes. */
    static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    /** Made only when something is presigned: redirects and direct uploads. */
    private final Supplier<S3Presigner> presigner;
    private final String bucket;
    private final String prefix;
    private final int partSize;
    /** Runs before each request that changes the bucket; tests make the bucket fail through it. */
    private volatile Consumer<String> beforeWrite = key -> { };

    S3MediaStorage(S3Client s3, Supplier<S3Presigner> presigner, StorageConfig.S3 config) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = config.bucket().orElseThrow(() -> new IllegalStateException(
                "catalog.storage.s3.bucket is required with catalog.storage.type=s3"));
        this.prefix = config.prefix().orElse("");
        this.partSize = config.partSizeBytes();
    }

    public S3Client client() {
        return s3;
    }

    public String bucket() {
        return bucket;
    }

    /** The object key of a relative path. */
    public String key(String relativePath) {
        return prefix + relativePath;
    }

    /** Makes each request that writes to the bucket run {@code hook} first (null: nothing); it fails by throwing. */
    void beforeWrite(Consumer<String> hook) {
        beforeWrite = hook == null ? key -> { } : hook;
    }

    /** The final name at once: nothing refers to it until the transaction that accepts it commits. */
    @Override
    public String newPartialSource(UUID videoId) {
        return SOURCES + "/" + videoId + "/" + UUID.randomUUID();
    }

    @Override
    public ReceivedSource receiveSource(UUID videoId, String partial, InputStream body, long maxBytes) {
        try {
            return multipartUpload(videoId, partial, body, maxBytes);
        } catch (SdkException e) {
            throw unavailable("The upload could not be stored", e);
        }
    }

    private ReceivedSource multipartUpload(UUID videoId, String partial, InputStream body, long maxBytes) {
        String key = key(partial);
        String uploadId = begin(key);
        try {
            MessageDigest sha256 = MediaStorage.sha256();
            List<CompletedPart> parts = new ArrayList<>();
            byte[] part = new byte[partSize];
            long size = 0;
            boolean ended = false;
            while (!ended) {
                int filled = 0;
                while (filled < part.length) {
                    int read = MediaStorage.readBody(body, part, filled, part.length - filled, size + filled);
                    if (read == -1) {
                        ended = true;
                        break;
                    }
                    filled += read;
                    if (size + filled > maxBytes) {
                        throw new PayloadTooLargeException("The upload is larger than the limit of " + maxBytes + " bytes");
                    }
                }
                if (filled == 0 && !parts.isEmpty()) {
                    break;
                }
                if (filled == 0) {
                    throw new ValidationException("The upload is empty: send the video file as the request body");
                }
                sha256.update(part, 0, filled);
                size += filled;
                parts.add(uploadPart(key, uploadId, parts.size() + 1, part, filled));
            }
            beforeWrite.accept(key);
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            return new ReceivedSource(videoId, partial, size, HexFormat.of().formatHex(sha256.digest()));
        } catch (RuntimeException e) {
            abort(key, uploadId, e);
            throw e;
        }
    }

    private String begin(String key) {
        beforeWrite.accept(key);
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType("application/octet-stream"))
                .uploadId();
    }

    private CompletedPart uploadPart(String key, String uploadId, int number, byte[] part, int length) {
        beforeWrite.accept(key);
        // Streamed from the part buffer itself: no copy, so an upload holds one part in memory.
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) length),
                RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, length), length)).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    private void abort(String key, String uploadId, RuntimeException failure) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            // The sweep of abandoned multipart uploads (and the bucket's lifecycle rule) ends it later.
            failure.addSuppressed(e);
        }
    }

    /**
     * A resumable upload's multipart upload, as saved with its offset: its id, part size, the bytes of the tail
     * (the offset past the whole parts, kept in the object {@code {key}.tail}) and the ETags of the whole parts.
     */
    record Multipart(String key, String uploadId, int partSize, int tailBytes, List<String> etags) {

        static Multipart parse(String key, String state) {
            if (state == null) {
                throw new IllegalStateException("The resumable upload of " + key + " has no multipart upload");
            }
            String[] fields = state.split(" ");
            return new Multipart(key, fields[0], Integer.parseInt(fields[1]), Integer.parseInt(fields[2]),
                    List.of(fields).subList(3, fields.length));
        }

        String state() {
            return uploadId + " " + partSize + " " + tailBytes + (etags.isEmpty() ? "" : " " + String.join(" ", etags));
        }

        String tailKey() {
            return key + ".tail";
        }

        List<CompletedPart> parts() {
            List<CompletedPart> parts = new ArrayList<>();
            for (int i = 0; i < etags.size(); i++) {
                parts.add(CompletedPart.builder().partNumber(i + 1).eTag(etags.get(i)).build());
            }
            return parts;
        }
    }

    /** The multipart upload under the source's final key, a server-generated one: the upload's id. */
    /**
     * A whole upload broken off by a crash leaves a multipart upload, not an object: the sweep of abandoned
     * multipart uploads ({@link #abortAbandonedUploads}) aborts it, with the parts it holds.
     */
    @Override
    public int removeAbandonedPartialSources(Duration idleFor) {
        return 0;
    }

    @Override
    public PartialSource createPartialSource(UUID videoId, UUID uploadId) {
        String path = partialSourcePath(videoId, uploadId);
        String key = key(path);
        try {
            String multipartId = begin(key);
            return new PartialSource(path, new Multipart(key, multipartId, partSize, 0, List.of()).state());
        } catch (SdkException e) {
            throw unavailable("The upload could not be created", e);
        }
    }

    @Override
    public String partialSourcePath(UUID videoId, UUID uploadId) {
        return SOURCES + "/" + videoId + "/" + uploadId;
    }

    @Override
    public List<String> partialSourcePaths(UUID videoId, UUID uploadId) {
        String path = partialSourcePath(videoId, uploadId);
        return List.of(path, path + ".tail");
    }

    @Override
    public PartialSourceWriter openPartialSource(PartialSource partial) {
        return new S3PartialSourceWriter(this, Multipart.parse(key(partial.path()), partial.state()));
    }

    /** Reads the tail back into the start of {@code part}. */
    void readTail(Multipart multipart, byte[] part) {
        if (multipart.tailBytes() == 0) {
            return;
        }
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(multipart.tailKey())
                .range("bytes=0-" + (multipart.tailBytes() - 1)))) {
            if (in.readNBytes(part, 0, multipart.tailBytes()) != multipart.tailBytes()) {
                throw new IllegalStateException("The tail of " + multipart.key() + " is shorter than its offset says");
            }
        } catch (SdkException e) {
            throw unavailable("The upload could not be resumed", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the tail of " + multipart.key(), e);
        }
    }

    /** Uploads a whole part: the next part number, the tail now empty. */
    Multipart uploadPart(Multipart multipart, byte[] part, int length) {
        try {
            CompletedPart uploaded = uploadPart(multipart.key(), multipart.uploadId(), multipart.etags().size() + 1,
                    part, length);
            List<String> etags = new ArrayList<>(multipart.etags());
            etags.add(uploaded.eTag());
            return new Multipart(multipart.key(), multipart.uploadId(), multipart.partSize(), 0, List.copyOf(etags));
        } catch (SdkException e) {
            throw unavailable("The chunk could not be stored", e);
        }
    }

    /** Keeps the bytes past the whole parts in the tail object; a stale tail past them is never read. */
    Multipart keepTail(Multipart multipart, byte[] part, int length) {
        if (length > 0) {
            try {
                beforeWrite.accept(multipart.tailKey());
                s3.putObject(b -> b.bucket(bucket).key(multipart.tailKey()),
                        RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, length), length));
            } catch (SdkException e) {
                throw unavailable("The chunk could not be stored", e);
            }
        }
        return new Multipart(multipart.key(), multipart.uploadId(), multipart.partSize(), length, multipart.etags());
    }

    /** The tail becomes the last part, the multipart upload an object; its SHA-256 is read back in a stream. */
    @Override
    public ReceivedSource completedPartialSource(UUID videoId, PartialSource partial) {
        Multipart multipart = Multipart.parse(key(partial.path()), partial.state());
        try {
            List<CompletedPart> parts = new ArrayList<>(multipart.parts());
            if (multipart.tailBytes() > 0) {
                byte[] tail = new byte[multipart.tailBytes()];
                readTail(multipart, tail);
                parts.add(uploadPart(multipart.key(), multipart.uploadId(), parts.size() + 1, tail, tail.length));
            }
            beforeWrite.accept(multipart.key());
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(multipart.key()).uploadId(multipart.uploadId())
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
            throw unavailable("The upload could not be completed", e);
        }
        return whole(videoId, partial.path(), multipart);
    }

    /**
     * A multipart upload completes into its object, which no other write makes: an object of the upload's full
     * length under its key means it was completed.
     */
    @Override
    public Optional<ReceivedSource> completedEarlier(UUID videoId, PartialSource partial, long length) {
        Multipart multipart = Multipart.parse(key(partial.path()), partial.state());
        try {
            if (size(multipart.key()) != length) {
                return Optional.empty();
            }
        } catch (SdkException e) {
            throw unavailable("The upload could not be looked up", e);
        }
        LOG.infof("The upload %s was completed in the bucket but never accepted: accepting it now", multipart.key());
        return Optional.of(whole(videoId, partial.path(), multipart));
    }

    /** A completed resumable upload: its tail goes, its SHA-256 is read back in a stream. */
    private ReceivedSource whole(UUID videoId, String path, Multipart multipart) {
        try {
            beforeWrite.accept(multipart.tailKey());
            s3.deleteObject(b -> b.bucket(bucket).key(multipart.tailKey()));
            MessageDigest sha256 = MediaStorage.sha256();
            long size = 0;
            try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(multipart.key()))) {
                byte[] buffer = new byte[COPY_BUFFER_BYTES];
                int read;
                while ((read = in.read(buffer)) != -1) {
                    sha256.update(buffer, 0, read);
                    size += read;
                }
            }
            return new ReceivedSource(videoId, path, size, HexFormat.of().formatHex(sha256.digest()));
        } catch (SdkException e) {
            throw unavailable("The upload could not be read back", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read back the upload " + multipart.key(), e);
        }
    }

    /** Begins the multipart upload of a direct upload under {@code path}; returns its id. */
    public String beginDirectUpload(String path) {
        try {
            return begin(key(path));
        } catch (SdkException e) {
            throw unavailable("The upload could not be created", e);
        }
    }

    /**
     * A presigned {@code UploadPart} URL for each part of a direct upload of {@code size} bytes, every part
     * {@code partSize} bytes but the last; each is signed with its part's exact length, so it takes no other.
     */
    public List<URI> presignParts(String path, String uploadId, long size, long partSize, Duration expiry) {
        String key = key(path);
        S3Presigner signer = presigner.get();
        List<URI> urls = new ArrayList<>();
        for (long from = 0; from < size; from += partSize) {
            int number = urls.size() + 1;
            long length = Math.min(partSize, size - from);
            urls.add(URI.create(signer.presignUploadPart(p -> p.signatureDuration(expiry)
                    .uploadPartRequest(u -> u.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                            .contentLength(length))).url().toString()));
        }
        return urls;
    }

    /**
     * Completes a direct upload from the ETags of its parts, in part order, and returns the object's size. A
     * multipart upload already completed (a completion sent again after an answer was lost) is found as its object.
     * Parts the bucket does not hold as named are a {@link ValidationException}.
     */
    public long completeDirectUpload(String path, String uploadId, List<String> etags) {
        String key = key(path);
        List<CompletedPart> parts = new ArrayList<>();
        for (String etag : etags) {
            parts.add(CompletedPart.builder().partNumber(parts.size() + 1).eTag(etag).build());
        }
        try {
            beforeWrite.accept(key);
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (AwsServiceException e) {
            if (e.statusCode() >= 500 || e.statusCode() == 403) {
                throw unavailable("The upload could not be completed", e);
            }
            if (!"NoSuchUpload".equals(errorCode(e)) || size(key) < 0) {
                throw new ValidationException("The bucket did not complete the upload from the parts named ("
                        + errorCode(e) + "): upload every part to its URL and name each with the ETag it answered");
            }
        } catch (SdkException e) {
            throw unavailable("The upload could not be completed", e);
        }
        try {
            return size(key);
        } catch (SdkException e) {
            throw unavailable("The upload could not be read back", e);
        }
    }

    /** The object's size, or -1 when there is none. */
    private long size(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw e;
        }
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
    }

    /** A ranged GET: the first bytes only, however large the object. */
    @Override
    public byte[] head(ReceivedSource received, int count) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(received.path())).range("bytes=0-" + (count - 1)))
                    .asByteArray();
        } catch (SdkException e) {
            throw unavailable("The upload could not be read back", e);
        }
    }

    /** The client is told to retry; the log keeps the cause. */
    private StorageUnavailableException unavailable(String what, SdkException cause) {
        LOG.warnf(cause, "%s: %s did not answer as expected", what, this);
        return new StorageUnavailableException(what + ": the media storage is unavailable; retry later");
    }

    /** The object already has its final key: accepting it is the transaction's business. */
    @Override
    public StoredSource commitSource(ReceivedSource received) {
        return new StoredSource(received.path(), received.sizeBytes(), received.sha256());
    }

    @Override
    public void removeTree(String relativePath) {
        String key = key(relativePath);
        String under = key.endsWith("/") ? key : key + "/";
        List<String> keys = new ArrayList<>();
        keys.add(key);
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(under)).contents()) {
            keys.add(object.key());
        }
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            deleteObjects(keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)));
        }
        abortUploads(key, Instant.MAX);
    }

    private void deleteObjects(List<String> keys) {
        beforeWrite.accept(keys.get(0));
        List<ObjectIdentifier> identifiers = keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                .delete(d -> d.objects(identifiers).quiet(true)));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            throw new IllegalStateException("The bucket kept " + response.errors().size() + " of " + keys.size()
                    + " objects, e.g. " + response.errors().get(0).key() + ": " + response.errors().get(0).message());
        }
    }

    /**
     * Aborts the multipart uploads under {@code sources/} begun before {@code before}: whole uploads whose request
     * died with its replica. Returns how many.
     */
    int abortAbandonedUploads(Instant before) {
        return abortUploads(key(SOURCES + "/"), before);
    }

    private int abortUploads(String keyPrefix, Instant before) {
        int aborted = 0;
        for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(keyPrefix)).uploads()) {
            if (upload.initiated() != null && upload.initiated().isBefore(before)) {
                beforeWrite.accept(upload.key());
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                aborted++;
            }
        }
        if (aborted > 0) {
            LOG.infof("Aborted %d multipart uploads under %s", aborted, keyPrefix);
        }
        return aborted;
    }

    @Override
    public String toString() {
        return "the bucket " + bucket + (prefix.isEmpty() ? "" : " under " + prefix);
    }
}
