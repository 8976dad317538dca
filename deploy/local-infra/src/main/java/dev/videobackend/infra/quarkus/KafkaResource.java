package dev.videobackend.infra.quarkus;

import dev.videobackend.infra.kafka.KafkaBroker;
import dev.videobackend.infra.kafka.TopicSpec;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real single-node Kafka cluster in KRaft mode, or the existing cluster named by
 * {@value KafkaBroker#EXISTING_BOOTSTRAP_VARIABLE}, and creates the topics named by the init argument
 * {@code topics} ({@code name:partitions,...}).
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private String topics = "";
    private KafkaBroker broker;

    @Override
    public void init(Map<String, String> initArgs) {
        topics = initArgs.getOrDefault("topics", topics);
    }

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.startOrConnect(null, 0);
        broker.createTopics(TopicSpec.parseList(topics));
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
