package dev.videobackend.deploy.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every core resource of the base and of each overlay fits fabric8's typed model exactly. */
class ManifestModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod", "overlays/s3"})
    void everyResourceDeserialisesStrictly(String kustomization) throws IOException {
        Manifests manifests = Manifests.of(Manifests.KUBERNETES_DIR.resolve(kustomization));

        assertThat(manifests.typed).hasSameSizeAs(manifests.raw).hasSizeGreaterThan(20);
        // What the tests checked, to compare with `kubectl kustomize` (docs/deploy.md).
        Path out = Path.of("target/kustomize", kustomization.replace('/', '-') + ".yaml");
        Files.createDirectories(out.getParent());
        StringBuilder yaml = new StringBuilder();
        for (ObjectNode resource : manifests.raw) {
            yaml.append(Kustomize.YAML.writeValueAsString(resource));
        }
        Files.writeString(out, yaml);
    }

    @Test
    void anUnknownFieldFailsInFabric8sModel() {
        ObjectNode deployment = firstOf("Deployment");
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
        assertThatThrownBy(() -> Manifests.toTyped(deployment)).hasMessageContaining("imagePullPolicyy");
    }

    @Test
    void typedModelsCarryTheValuesAndCustomResourcesStayTrees() {
        Manifests manifests = Manifests.overlay("prod");
        assertThat(manifests.deployment("catalog-service").getSpec().getTemplate().getSpec().getContainers())
                .hasSize(1);
        assertThat(manifests.all(Deployment.class)).hasSize(2);
        assertThat(manifests.custom("KafkaTopic")).extracting(t -> t.at("/spec/replicas").asInt()).containsOnly(3);
        assertThat(manifests.onlyCustom("Kafka").at("/metadata/name").asText()).isEqualTo("video-kafka");
    }

    private static ObjectNode firstOf(String kind) {
        return Kustomize.build(Manifests.KUBERNETES_DIR.resolve("overlays/prod")).stream()
                .filter(r -> r.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }
}
