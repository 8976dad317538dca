package dev.videobackend.catalog.video;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * What one uploader may make the transcoders do; admins have no quota. Days are UTC days. Over a quota the answer
 * is {@code QUOTA_EXCEEDED} (HTTP 429).
 */
@ConfigMapping(prefix = "catalog.quota")
public interface QuotaConfig {

    /** Videos of one uploader queued or transcoding at once; a new upload of a video that is already counted adds none. */
    @WithDefault("3")
    @Min(1)
    int maxActiveTranscodes();

    /** Bytes of sources one uploader may upload per day. */
    @WithDefault("53687091200")
    @Min(1)
    long maxSourceBytesPerDay();

    /**
     * Duration of sources one uploader may have transcoded per day, as the transcoder measured it: known only once a
     * job completes, so it refuses the jobs after the one that reached it.
     */
    @WithDefault("10h")
    @DurationMin(seconds = 1)
    Duration maxSourceDurationPerDay();
}
