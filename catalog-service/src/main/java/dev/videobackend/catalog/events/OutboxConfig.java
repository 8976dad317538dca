package dev.videobackend.catalog.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/** How events leave through the transactional outbox. */
@ConfigMapping(prefix = "catalog.outbox")
public interface OutboxConfig {

    /** Topic of {@code TranscodeRequested}. */
    @WithDefault("video.transcode.requests")
    @NotBlank
    String transcodeRequestsTopic();

    /** Rows one relay pass publishes at most. */
    @WithDefault("100")
    @Min(1)
    @Max(10_000)
    int batchSize();

    /** How often the relay looks for rows a crash or a broker outage left unsent. */
    @WithDefault("1s")
    Duration pollInterval();
}
