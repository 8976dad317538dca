package dev.videobackend.catalog.metrics;

import dev.videobackend.catalog.video.VideoStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;

/**
 * Gauges of what the database holds, refreshed every {@code catalog.metrics.refresh-interval} by one round trip:
 * videos by status, outbox rows not yet published and the age of the oldest, file deletions pending and those whose
 * removal failed at least once. A scrape never queries. The oldest outbox row's age is computed at scrape time from
 * its creation, so it keeps growing between refreshes while the relay is stuck.
 */
@ApplicationScoped
@Startup // its gauges exist from the start, at 0 until the first refresh
// Not in a build without Micrometer: its refresh query is part of what metrics cost (docs/benchmarks.md).
@IfBuildProperty(name = "quarkus.micrometer.enabled", stringValue = "true", enableIfMissing = true)
public class DatabaseGauges {

    private static final Logger LOG = Logger.getLogger(DatabaseGauges.class);
    private static final String FIGURES = """
            SELECT (SELECT count(*) FROM outbox_event WHERE sent_at IS NULL) AS outbox_pending,
                   (SELECT min(created_at) FROM outbox_event WHERE sent_at IS NULL) AS outbox_oldest,
                   (SELECT count(*) FROM file_deletion) AS deletions_pending,
                   (SELECT count(*) FROM file_deletion WHERE attempts > 0) AS deletions_failing,
                   (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) AS n FROM video GROUP BY status) s)
                       AS videos""";

    private final Pool pool;
    private volatile Figures figures = Figures.NONE;

    record Figures(Map<VideoStatus, Long> videos, long outboxPending, Instant outboxOldest, long deletionsPending,
            long deletionsFailing) {
        static final Figures NONE = new Figures(Map.of(), 0, null, 0, 0);
    }

    DatabaseGauges(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        for (VideoStatus status : VideoStatus.values()) {
            Gauge.builder("catalog.videos", this, gauges -> gauges.figures.videos().getOrDefault(status, 0L))
                    .description("Videos by status, as of the last refresh").tag("status", status.name())
                    .register(registry);
        }
        Gauge.builder("catalog.outbox.pending", this, gauges -> gauges.figures.outboxPending())
                .description("Outbox rows not yet published to Kafka").register(registry);
        Gauge.builder("catalog.outbox.oldest.age", this, DatabaseGauges::oldestOutboxAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest outbox row not yet published; 0 when none").register(registry);
        Gauge.builder("catalog.file.deletions.pending", this, gauges -> gauges.figures.deletionsPending())
                .description("Stored files waiting to be removed").register(registry);
        Gauge.builder("catalog.file.deletions.failing", this, gauges -> gauges.figures.deletionsFailing())
                .description("Stored files whose removal failed at least once and is retried").register(registry);
    }

    @Scheduled(every = "${catalog.metrics.refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query(FIGURES).execute()
                .map(rows -> read(rows.iterator().next()))
                .invoke(read -> figures = read)
                .onFailure().invoke(failure -> LOG.warnf("Could not refresh the database gauges: %s",
                        failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private static Figures read(Row row) {
        Map<VideoStatus, Long> videos = new EnumMap<>(VideoStatus.class);
        io.vertx.core.json.JsonObject counts = row.getJsonObject("videos");
        if (counts != null) {
            counts.forEach(entry -> videos.put(VideoStatus.valueOf(entry.getKey()),
                    ((Number) entry.getValue()).longValue()));
        }
        OffsetDateTime oldest = row.getOffsetDateTime("outbox_oldest");
        return new Figures(videos, row.getLong("outbox_pending"), oldest == null ? null : oldest.toInstant(),
                row.getLong("deletions_pending"), row.getLong("deletions_failing"));
    }

    private double oldestOutboxAgeSeconds() {
        Instant oldest = figures.outboxOldest();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
    }
}
