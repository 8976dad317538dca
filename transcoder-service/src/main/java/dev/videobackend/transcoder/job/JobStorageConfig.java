package dev.videobackend.transcoder.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the jobs' media lies: {@code filesystem} (the media directory, {@code transcoder.media.root}) or {@code s3}
 * (a bucket, reached through the {@code quarkus.s3.*} client settings; credentials from the SDK's default chain).
 */
@ConfigMapping(prefix = "transcoder.storage")
public interface JobStorageConfig {

    enum Type { FILESYSTEM, S3 }

    @WithDefault("filesystem")
    Type type();

    S3 s3();

    Scratch scratch();

    interface S3 {
        /** The bucket; required with {@code type=s3}. */
        Optional<String> bucket();

        /** Prepended to every key, e.g. {@code media/}; none by default. */
        Optional<@Pattern(regexp = ".*[^/]/", message = "must end with one /") String> prefix();

        /** Files of one job uploaded at once when it is published. */
        @WithDefault("4")
        @Min(1)
        @Max(64)
        int uploadConcurrency();
    }

    /** A local directory (a size-limited {@code emptyDir}) for fetched sources and outputs before their upload. */
    interface Scratch {
        @WithDefault("${java.io.tmpdir}/transcoder-scratch")
        Path directory();

        /**
         * The largest source fetched; a larger one fails with {@code TOO_LARGE}. The scratch volume must hold this,
         * plus the ladder of every job running at once (about the source's size again at most).
         */
        @WithDefault("8589934592")
        @Min(1)
        long maxSourceBytes();
    }
}
