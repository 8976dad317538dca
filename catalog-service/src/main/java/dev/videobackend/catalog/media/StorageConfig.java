package dev.videobackend.catalog.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.util.Optional;

/**
 * Where media is stored: {@code filesystem} (the media directory, {@code catalog.media.root}) or {@code s3} (a
 * bucket, reached through the {@code quarkus.s3.*} client settings, credentials from the SDK's default chain), and
 * how renditions reach players from a bucket.
 */
@ConfigMapping(prefix = "catalog.storage")
public interface StorageConfig {

    enum Type { FILESYSTEM, S3 }

    /** {@code proxy}: the catalog streams objects itself; {@code redirect}: it sends players to the bucket or a CDN. */
    enum Delivery { PROXY, REDIRECT }

    @WithDefault("filesystem")
    Type type();

    @WithDefault("proxy")
    Delivery delivery();

    S3 s3();

    interface S3 {
        /** The bucket; required with {@code type=s3}. */
        Optional<String> bucket();

        /** Prepended to every key, e.g. {@code media/}; none by default. */
        Optional<@Pattern(regexp = ".*[^/]/", message = "must end with one /") String> prefix();

        /** Bytes per part of a multipart upload, and so the memory one upload holds (S3's least is 5 MiB). */
        @WithDefault("8388608")
        @Min(5242880)
        @Max(536870912)
        int partSizeBytes();

        /**
         * With {@code delivery=redirect}: where public videos' renditions are fetched, e.g. a CDN in front of the
         * bucket ({@code https://cdn.example.com}, followed by the object key). Without it, and for private and
         * unlisted videos always, players get a short-lived presigned URL.
         */
        Optional<String> publicBaseUrl();

        /** How long a presigned URL a redirect hands out stays valid. */
        @WithDefault("10m")
        @DurationMin(seconds = 1)
        @DurationMax(days = 7)
        Duration presignExpiry();

        /**
         * Multipart uploads under {@code sources/} begun longer ago than this are aborted: their upload was
         * abandoned. Longer than any resumable upload lasts (each chunk defers its expiry by
         * {@code catalog.upload.expire-after}); the bucket's lifecycle rule should say the same.
         */
        @WithDefault("7d")
        @DurationMin(minutes = 1)
        Duration abandonedUploadAge();

        /** How often abandoned multipart uploads are looked for. */
        @WithDefault("1h")
        @DurationMin(seconds = 1)
        Duration abandonedUploadSweepInterval();

        /** Direct-to-bucket uploads: the client sends the parts to presigned URLs, the catalog never sees a byte. */
        DirectUploads directUpload();
    }

    interface DirectUploads {
        /** Bytes per part (every part but the last); S3 takes 5 MiB to 5 GiB. */
        @WithDefault("67108864")
        @Min(5242880)
        @Max(5368709120L)
        long partSizeBytes();

        /** The most parts one upload may have: with the part size, the largest direct upload (S3 takes 10,000). */
        @WithDefault("1000")
        @Min(1)
        @Max(10000)
        int maxParts();

        /**
         * How long the part URLs stay valid and the upload may be completed; past it the upload is abandoned and
         * its multipart upload aborted.
         */
        @WithDefault("1h")
        @DurationMin(seconds = 1)
        @DurationMax(days = 7)
        Duration expiry();
    }
}
