package dev.videobackend.catalog.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.nio.file.Path;
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
}
