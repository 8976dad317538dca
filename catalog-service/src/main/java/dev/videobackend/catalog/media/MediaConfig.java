package dev.videobackend.catalog.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where media lives and how clients reach it. */
@ConfigMapping(prefix = "catalog.media")
public interface MediaConfig {

    /** The media directory shared with the transcoder: {@code sources/} (never served) and {@code renditions/}. */
    @WithDefault("media")
    Path root();

    /**
     * Absolute URL prefix of this service as clients see it, e.g. {@code https://videos.example.com}; media and
     * upload URLs are relative to the API when it is not set.
     */
    Optional<String> publicBaseUrl();

    /** Largest accepted source upload, in bytes. */
    @WithDefault("10737418240")
    @Min(1)
    long maxUploadBytes();

    /**
     * How often stored files that nothing references any more, and whose removal failed or was interrupted, are
     * removed again; removals are first tried right after the change that orphaned them commits.
     */
    @WithDefault("1m")
    @DurationMin(seconds = 1)
    Duration deletionSweepInterval();

    /**
     * How long after a failed removal it is tried again; each further failure doubles the wait, up to
     * {@link #deletionRetryMaxBackoff()}.
     */
    @WithDefault("1m")
    @DurationMin(seconds = 1)
    Duration deletionRetryBackoff();

    /** The longest wait between two attempts of a removal that keeps failing. */
    @WithDefault("1h")
    @DurationMin(seconds = 1)
    Duration deletionRetryMaxBackoff();
}
