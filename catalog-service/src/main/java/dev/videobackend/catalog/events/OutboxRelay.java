package dev.videobackend.catalog.events;

import dev.videobackend.catalog.vertx.OnVertxContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.LockMode;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes outbox rows to Kafka in the order they were written, and marks them sent, in one transaction: a crash
 * between publish and commit sends the row again on the next pass, never zero times. One pass runs at a time across
 * replicas (an advisory lock), so that one video's events keep their order. Each
 * record continues the trace of the request that wrote its row (its {@code traceparent} header names the send).
 */
@ApplicationScoped
public class OutboxRelay {

    static final URI SOURCE = URI.create("/catalog-service");
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    // HQL rather than a native query with a result class: the latter gets a new plan-cache key on every pass.
    private static final String UNSENT_ROWS = "from OutboxEvent where sentAt is null order by sequenceNumber";
    /** The transaction-scoped advisory lock only one relay pass holds at a time, in any replica. */
    static final long PASS_LOCK = 0x6f7574626f78L;
    // HQL too, for the same reason: a native query misses the plan cache on every pass.
    private static final String TAKE_PASS_LOCK =
            "select function('pg_try_advisory_xact_lock', cast(" + PASS_LOCK + " as Long))";
    /** What {@link #publishPending()} returns when another pass was running: it sent nothing. */
    public static final int SKIPPED = -1;

    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;
    private final TraceContexts traces;
    private final AtomicBoolean enabled;
    /** A pass of this replica found another one running: that one starts a pass again when it ends. */
    private final AtomicBoolean passSkipped = new AtomicBoolean();

    OutboxRelay(@Channel("outbox") MutinyEmitter<String> emitter, OutboxConfig config, TraceContexts traces) {
        this.emitter = emitter;
        this.config = config;
        this.traces = traces;
        this.enabled = new AtomicBoolean(config.relayEnabled());
    }

    /**
     * Stops publishing: committed events wait in the table, exactly as after a crash between commit and publish.
     * For maintenance and for tests; {@link #resume()} publishes what accumulated.
     */
    public void suspend() {
        enabled.set(false);
    }

    public void resume() {
        enabled.set(true);
    }

    @Scheduled(every = "${catalog.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return publishPending()
                .invoke(this::againIfSkipped)
                .onFailure().invoke(failure -> LOG.warnf("Outbox pass failed, rows stay queued: %s", failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Starts a pass now, on a context of its own, for a change that was just committed. */
    public void publishSoon() {
        OnVertxContext.start(this::publishPending,
                count -> {
                    LOG.debugf("Published %d outbox events", count);
                    againIfSkipped(count);
                },
                failure -> LOG.warnf("Immediate outbox pass failed, the next sweep retries: %s", failure.getMessage()));
    }

    /**
     * Publishes up to one batch of unsent rows; returns how many (none while suspended), or {@link #SKIPPED}.
     * One pass at a time: two passes locking rows side by side (the scheduler's and a request's, or two replicas')
     * would send one video's events concurrently, and so out of order.
     */
    @WithTransaction
    public Uni<Integer> publishPending() {
        if (!enabled.get()) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(TAKE_PASS_LOCK, Boolean.class).getSingleResult()
                        .chain(mine -> {
                            if (!Boolean.TRUE.equals(mine)) {
                                passSkipped.set(true);
                                return Uni.createFrom().item(SKIPPED);
                            }
                            return session.createSelectionQuery(UNSENT_ROWS, OutboxEvent.class)
                                    .setLockMode(LockMode.UPGRADE_SKIPLOCKED)
                                    .setMaxResults(config.batchSize())
                                    .getResultList()
                                    .chain(this::publish);
                        }));
    }

    /**
     * After a pass that ran, the rows a pass skipped meanwhile would have sent go now rather than at the next sweep
     * (another replica's wait for its sweep).
     */
    private void againIfSkipped(int count) {
        if (count != SKIPPED && passSkipped.getAndSet(false)) {
            publishSoon();
        }
    }

    private Uni<Integer> publish(List<OutboxEvent> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        // Subscribed in order, so that events of one key keep their order within the partition.
        List<Uni<Void>> sends = rows.stream().map(this::send).toList();
        return Uni.join().all(sends).andFailFast().map(ignored -> {
            Instant now = Instant.now();
            rows.forEach(row -> row.sentAt = now);
            return rows.size();
        });
    }

    private Uni<Void> send(OutboxEvent row) {
        Message<String> message = Message.of(row.payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(row.topic)
                        .withKey(row.messageKey)
                        .build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(row.id.toString())
                        .withType(CloudEventTypes.of(row.eventType))
                        .withSource(SOURCE)
                        .withSubject(row.messageKey)
                        .withTimestamp(row.createdAt.atZone(ZoneOffset.UTC))
                        .withDataContentType("application/json")
                        .build())
                .addMetadata(TracingMetadata.withCurrent(traces.fromTraceparent(row.traceparent)));
        return emitter.sendMessage(message);
    }
}
