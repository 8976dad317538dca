package dev.videobackend.catalog.upload;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** Resumable uploads. The size limit is {@code catalog.media.max-upload-bytes}, shared with whole uploads. */
@ConfigMapping(prefix = "catalog.upload")
public interface UploadConfig {

    /** How long an upload may sit without a chunk before it is abandoned and its partial file deleted. */
    @WithDefault("24h")
    @DurationMin(seconds = 1)
    Duration expireAfter();

    /** How often abandoned uploads are looked for. */
    @WithDefault("10m")
    @DurationMin(seconds = 1)
    Duration cleanupInterval();

    /**
     * How long an upload's body may send nothing before it is given up with {@code 408} (a resumable upload keeps
     * what arrived). Keep it below {@code quarkus.http.read-timeout}, which closes the connection without an answer.
     */
    @WithDefault("30s")
    @DurationMin(seconds = 1)
    Duration idleTimeout();

    /**
     * Upload bodies ({@code PUT}, tus {@code PATCH}) one user may send at once to this replica; more get {@code 429
     * QUOTA_EXCEEDED}, so that slow senders cannot take every worker thread.
     */
    @WithDefault("2")
    @Min(1)
    int maxConcurrentPerUploader();
}
