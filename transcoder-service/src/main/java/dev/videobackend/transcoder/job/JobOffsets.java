package dev.videobackend.transcoder.job;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The commit strategy of the job channel ({@code commit-strategy=job-offsets}). A job holds its record for minutes
 * and jobs finish out of order, so:
 * <ul>
 * <li>a partition's offset is committed as soon as every record before it is acknowledged (its job's final event
 * is on the broker), never past a record whose job is still running;</li>
 * <li>the age check ({@code throttled.unprocessed-record-max-age.ms}, as for SmallRye's throttled strategy) counts
 * from a record's receipt to the start of its job, not to its end: a record that waits that long for a job slot
 * means the consumer is stuck; a job that runs long is the time budget's business, not the channel's.</li>
 * </ul>
 * How many records are received and unfinished at once is bounded upstream: the consuming method runs on a worker
 * pool whose concurrency is the number of job slots, so the connector requests a new record only when a slot is
 * free, and pauses the partitions (still polling, so no rebalance) while none is.
 */
public final class JobOffsets implements KafkaCommitHandler {

    public static final String STRATEGY = "job-offsets";
    private static final Logger LOG = Logger.getLogger(JobOffsets.class);
    private static final long COMMIT_RETRY_MILLIS = 1000;

    private final String channel;
    private final KafkaConsumer<?, ?> consumer;
    private final BiConsumer<Throwable, Boolean> reportFailure;
    private final long maxWaitMillis;
    private final long ageTimer;
    private final Vertx vertx;
    private final Collection<JobOffsets> registry;
    /** Received and not yet acknowledged records, by partition and offset; guarded by {@code this}. */
    private final Map<TopicPartition, TreeMap<Long, Pending>> pending = new HashMap<>();
    /** The offset each owned partition is to be committed at, until Kafka confirms it; guarded by {@code this}. */
    private final Map<TopicPartition, Long> uncommitted = new HashMap<>();

    private JobOffsets(String channel, Vertx vertx, KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure, long maxWaitMillis, Collection<JobOffsets> registry) {
        this.channel = channel;
        this.registry = registry;
        this.vertx = vertx;
        this.consumer = consumer;
        this.reportFailure = reportFailure;
        this.maxWaitMillis = maxWaitMillis;
        this.ageTimer = maxWaitMillis > 0
                ? vertx.setPeriodic(Math.max(100, maxWaitMillis / 4), ignored -> checkWaitingRecords())
                : -1;
    }

    /** One record received from Kafka and not yet acknowledged. */
    private static final class Pending {
        final long receivedAtMillis = System.currentTimeMillis();
        boolean started;
        boolean acknowledged;
    }

    @Override
    public synchronized <K, V> Uni<IncomingKafkaRecord<K, V>> received(IncomingKafkaRecord<K, V> record) {
        pending.computeIfAbsent(partition(record), p -> new TreeMap<>()).put(record.getOffset(), new Pending());
        return Uni.createFrom().item(record);
    }

    /** The record's job has started: from now on its age no longer counts. */
    synchronized void started(TopicPartition partition, long offset) {
        TreeMap<Long, Pending> records = pending.get(partition);
        Pending record = records == null ? null : records.get(offset);
        if (record != null) {
            record.started = true;
        }
    }

    /**
     * The record's job is over. Commits the partition up to the first record still unacknowledged; the commit is
     * handed to the polling thread inside the lock, so commits reach Kafka in increasing order.
     */
    @Override
    public synchronized <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
        TopicPartition partition = partition(record);
        TreeMap<Long, Pending> records = pending.get(partition);
        Pending acknowledged = records == null ? null : records.get(record.getOffset());
        if (acknowledged == null) {
            LOG.infof("Offset %d of %s was acknowledged after its partition was revoked; its new owner will see it"
                    + " again", record.getOffset(), partition);
            return Uni.createFrom().voidItem();
        }
        acknowledged.acknowledged = true;
        long next = -1;
        for (Iterator<Map.Entry<Long, Pending>> it = records.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Pending> head = it.next();
            if (!head.getValue().acknowledged) {
                break;
            }
            next = head.getKey() + 1;
            it.remove();
        }
        if (next < 0) {
            return Uni.createFrom().voidItem();
        }
        uncommitted.put(partition, next);
        return commit(partition, next);
    }

    /**
     * Commits the partition at {@code next}. A failed commit (typically during a rebalance, which a cooperative
     * assignor runs while this instance keeps the partition) must not fail the acknowledgement, which would stop the
     * channel, and must not be forgotten either: a partition whose last job just ended gets no later commit to cover
     * it, and its request would stay uncommitted (and be run again after the next rebalance). So it is retried until
     * Kafka confirms it, a later commit supersedes it, or the partition is revoked.
     */
    private Uni<Void> commit(TopicPartition partition, long next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(partition, new OffsetAndMetadata(next));
        return Uni.createFrom().completionStage(consumer.commit(offsets)
                .onItem().invoke(() -> committed(partition, next))
                .onFailure().invoke(e -> {
                    LOG.warnf("Could not commit %s on channel %s (%s); retrying in %d ms", offsets, channel, e,
                            COMMIT_RETRY_MILLIS);
                    vertx.setTimer(COMMIT_RETRY_MILLIS, ignored -> retryCommit(partition, next));
                })
                .onFailure().recoverWithNull()
                .subscribeAsCompletionStage());
    }

    private synchronized void committed(TopicPartition partition, long offset) {
        uncommitted.remove(partition, offset);
    }

    private synchronized void retryCommit(TopicPartition partition, long next) {
        Long wanted = uncommitted.get(partition);
        if (wanted != null && wanted == next) {
            commit(partition, next).subscribe().with(ignored -> { });
        }
    }

    @Override
    public synchronized void partitionsRevoked(Collection<TopicPartition> partitions) {
        // Jobs of these partitions that are still running finish here, but their records belong to the new owner.
        partitions.forEach(pending::remove);
        partitions.forEach(uncommitted::remove);
    }

    @Override
    public void terminate(boolean graceful) {
        registry.remove(this);
        synchronized (this) {
            uncommitted.clear();
        }
        if (ageTimer >= 0) {
            vertx.cancelTimer(ageTimer);
        }
    }

    private synchronized void checkWaitingRecords() {
        long now = System.currentTimeMillis();
        pending.forEach((partition, records) -> records.forEach((offset, record) -> {
            long waited = now - record.receivedAtMillis;
            if (!record.started && !record.acknowledged && waited > maxWaitMillis) {
                reportFailure.accept(new IllegalStateException("Record " + offset + " of " + partition
                        + " has waited " + waited + " ms for a job slot (limit " + maxWaitMillis
                        + " ms): the job consumer is stuck"), true);
            }
        }));
    }

    private static TopicPartition partition(IncomingKafkaRecord<?, ?> record) {
        return new TopicPartition(record.getTopic(), record.getPartition());
    }

    /** Creates the strategy for a channel and tells it when the channel's jobs start. */
    @ApplicationScoped
    @Identifier(STRATEGY)
    public static class Factory implements KafkaCommitHandler.Factory {

        private final List<JobOffsets> handlers = new CopyOnWriteArrayList<>();

        @Override
        public KafkaCommitHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
                KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
            JobOffsets handler = new JobOffsets(config.getChannel(), vertx, consumer, reportFailure,
                    config.getThrottledUnprocessedRecordMaxAgeMs(), handlers);
            handlers.add(handler);
            return handler;
        }

        void started(String topic, int partition, long offset) {
            TopicPartition topicPartition = new TopicPartition(topic, partition);
            handlers.forEach(handler -> handler.started(topicPartition, offset));
        }
    }
}
