package dev.videobackend.catalog.upload;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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
}
