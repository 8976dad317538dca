package dev.videobackend.transcoder;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The transcoder group's committed offsets and the end offsets of the requests topic, as the broker has them. */
public final class RequestOffsets {

    private static final String GROUP = "transcoder-service";

    private final String bootstrapServers;

    public RequestOffsets(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** The group's committed offset of every partition of the requests topic is that partition's end. */
    public boolean everyRequestIsCommitted() throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> committed = committed();
        return endOffsets().entrySet().stream().allMatch(end -> end.getValue() == 0
                || end.getValue().equals(committed.get(end.getKey())));
    }

    /** The group's committed offsets on the requests topic; a partition without any is 0. */
    public Map<TopicPartition, Long> committed() throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            return partitions(admin).stream().collect(Collectors.toMap(Function.identity(),
                    partition -> committed.containsKey(partition) ? committed.get(partition).offset() : 0L));
        }
    }

    public Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            return admin.listOffsets(partitions(admin).stream()
                            .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest())))
                    .all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
        }
    }

    private static List<TopicPartition> partitions(Admin admin) throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(TranscoderTestProfile.REQUESTS_TOPIC))
                .allTopicNames().get().get(TranscoderTestProfile.REQUESTS_TOPIC).partitions().stream()
                .map(info -> new TopicPartition(TranscoderTestProfile.REQUESTS_TOPIC, info.partition()))
                .toList();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}
