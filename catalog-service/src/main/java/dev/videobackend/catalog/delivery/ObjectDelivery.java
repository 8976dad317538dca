package dev.videobackend.catalog.delivery;

import dev.videobackend.catalog.media.MediaUrls;
import dev.videobackend.catalog.media.S3MediaStorage;
import dev.videobackend.catalog.media.StorageConfig;
import dev.videobackend.catalog.security.Visibility;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.util.Optional;

/**
 * Renditions in a bucket, as {@link MediaResource} serves them once access is granted: proxied (the object's ETag,
 * {@code 304}, single byte ranges as {@code 206}, as for files), or a redirect to the public base URL (a CDN) for a
 * public video and to a short-lived presigned URL otherwise. Blocking: for worker threads.
 */
final class ObjectDelivery {

    private final S3MediaStorage storage;
    private final S3Client s3;
    private final String bucket;
    private final StorageConfig config;
    private final S3Presigner presigner;
    private final MediaUrls urls;

    /** @param presigner needed for redirects only */
    ObjectDelivery(S3MediaStorage storage, StorageConfig config, S3Presigner presigner, MediaUrls urls) {
        this.urls = urls;
        this.storage = storage;
        this.s3 = storage.client();
        this.bucket = storage.bucket();
        this.config = config;
        this.presigner = presigner;
    }

    /** Empty when there is no such object. */
    Optional<Response> serve(String relativePath, Visibility visibility, String ifNoneMatch, String range,
            String cacheControl, String contentType) {
        String key = storage.key(relativePath);
        if (config.delivery() == StorageConfig.Delivery.REDIRECT) {
            return Optional.of(redirect(relativePath, visibility, cacheControl));
        }
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        long length = head.contentLength();
        String tag = head.eTag().replace("\"", "");
        if (MediaResource.matches(ifNoneMatch, tag)) {
            return Optional.of(Response.notModified().tag(tag).header(HttpHeaders.CACHE_CONTROL, cacheControl).build());
        }
        ByteRange requested = ByteRange.parse(range, length);
        Response.ResponseBuilder response;
        if (requested == null) {
            response = Response.ok(open(key, null)).header(HttpHeaders.CONTENT_LENGTH, length);
        } else if (requested.satisfiable()) {
            response = Response.status(Response.Status.PARTIAL_CONTENT)
                    .entity(open(key, "bytes=" + requested.first() + "-" + requested.last()))
                    .header(HttpHeaders.CONTENT_LENGTH, requested.length())
                    .header("Content-Range", "bytes " + requested.first() + "-" + requested.last() + "/" + length);
        } else {
            return Optional.of(Response.status(Response.Status.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header("Content-Range", "bytes */" + length).build());
        }
        return Optional.of(response.type(contentType)
                .tag(tag)
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header("Accept-Ranges", "bytes")
                .build());
    }

    private ResponseInputStream<GetObjectResponse> open(String key, String range) {
        return s3.getObject(b -> b.bucket(bucket).key(key).range(range));
    }

    /**
     * A public video's file from the public base URL, cacheable as the file itself; anything else from a presigned
     * URL that nobody may cache longer than it lives.
     */
    private Response redirect(String relativePath, Visibility visibility, String cacheControl) {
        Optional<String> publicUrl = urls.publicRendition(relativePath);
        if (visibility == Visibility.PUBLIC && publicUrl.isPresent()) {
            return Response.status(Response.Status.FOUND).location(URI.create(publicUrl.get()))
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
        }
        String key = storage.key(relativePath);
        URI presigned = URI.create(presigner.presignGetObject(p -> p.signatureDuration(config.s3().presignExpiry())
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString());
        return Response.status(Response.Status.FOUND).location(presigned)
                .header(HttpHeaders.CACHE_CONTROL, "private, no-store").build();
    }
}
