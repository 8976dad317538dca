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

    /** Topic of {@code TranscodeCancelRequested}, read by every transcoder instance. */
    @WithDefault("video.transcode.control")
    @NotBlank
    String transcodeControlTopic();

    /** Topic of {@code VideoDeleted}, for anyone outside the catalog. */
    @WithDefault("video.catalog.events")
    @NotBlank
    String catalogEventsTopic();

    /**
     * Whether the relay publishes at all. Off, events stay queued in the outbox table: for maintenance, and for
     * the test that plays a crash between commit and publish.
     */
    @WithDefault("true")
    boolean relayEnabled();

    /** Rows one relay pass publishes at most. */
    @WithDefault("100")
    @Min(1)
    @Max(10_000)
    int batchSize();

    /** How often the relay looks for rows a crash or a broker outage left unsent. */
    @WithDefault("1s")
    Duration pollInterval();
}
