package dev.videobackend.transcoder.job;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;

/**
 * The job channel's rebalance listener ({@code consumer-rebalance-listener.name=transcode-jobs}): tells
 * {@link RunningJobs} which request partitions this instance owns, so that the jobs of a partition it loses are
 * handed back to the partition's new owner instead of running, and publishing, twice. The connector calls it on the
 * polling thread, during the rebalance; partitions lost without a rebalance (the group gave up on this consumer)
 * arrive as revoked, through Kafka's default {@code onPartitionsLost}.
 */
@ApplicationScoped
@Identifier(JobRebalanceListener.NAME)
public class JobRebalanceListener implements KafkaConsumerRebalanceListener {

    static final String NAME = "transcode-jobs";

    private final RunningJobs running;

    JobRebalanceListener(RunningJobs running) {
        this.running = running;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        running.assigned(partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        running.revoked(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        running.revoked(partitions);
    }
}
