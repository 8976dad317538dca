package dev.videobackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;

/**
 * The fields of KEDA's {@code ScaledObject} (keda.sh/v1alpha1) these manifests use; KEDA has no Java model, and the
 * record fails on any field it does not declare.
 */
record KedaScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    record Spec(ScaleTargetRef scaleTargetRef, int minReplicaCount, int maxReplicaCount, Integer pollingInterval,
                Integer cooldownPeriod, List<Trigger> triggers) {
    }

    record ScaleTargetRef(String name) {
    }

    record Trigger(String type, KafkaTriggerMetadata metadata, AuthenticationRef authenticationRef) {
    }

    /** The Apache Kafka scaler's parameters used here (all strings in KEDA's API). */
    record KafkaTriggerMetadata(String bootstrapServers, String consumerGroup, String topic, String lagThreshold,
                                String offsetResetPolicy, String sasl, String tls) {
    }

    record AuthenticationRef(String name) {
    }
}
