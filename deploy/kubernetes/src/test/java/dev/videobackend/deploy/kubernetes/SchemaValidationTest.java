package dev.videobackend.deploy.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every resource of the base and of each overlay is valid, as {@code kubectl apply --validate=strict} would judge it,
 * against the published schemas of the oldest and of the newest version of its API provider that docs/deploy.md
 * supports: the Kubernetes OpenAPI for the core kinds, each operator's CustomResourceDefinitions for its own.
 */
class SchemaValidationTest {

    private static final Set<String> NO_SCHEMA_NEEDED = Set.of("ingress-nginx");

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod", "overlays/s3"})
    void everyResourceIsValidAgainstTheOldestAndNewestSupportedSchemas(String kustomization) {
        List<ObjectNode> resources = Kustomize.build(Manifests.KUBERNETES_DIR.resolve(kustomization));
        List<String> errors = new ArrayList<>();
        for (ObjectNode resource : resources) {
            errors.addAll(validate(resource));
        }
        assertThat(errors).as(kustomization).isEmpty();
    }

    @Test
    void theSupportedVersionsTableHasAVendoredSchemaForEachBoundAndNothingElse() throws IOException {
        List<SupportedVersions.Component> components = SupportedVersions.read();
        assertThat(components).extracting(SupportedVersions.Component::name).contains(
                "Kubernetes", "Strimzi", "CloudNativePG", "Barman Cloud plugin", "KEDA", "ingress-nginx");
        Set<String> vendored;
        try (Stream<Path> providers = Files.list(ApiSchemas.ROOT)) {
            vendored = providers.filter(Files::isDirectory).flatMap(SchemaValidationTest::versionDirs)
                    .collect(Collectors.toSet());
        }
        Set<String> named = new java.util.HashSet<>();
        for (SupportedVersions.Component component : components) {
            if (NO_SCHEMA_NEEDED.contains(component.name())) {
                assertThat(component.schemas()).as(component.name()).isEmpty();
                continue;
            }
            assertThat(component.schemas()).as(component.name() + " names its schemas").isPresent();
            assertThat(component.bounds()).hasSize(2);
            named.add(component.schemas().get() + "/" + component.oldest());
            named.add(component.schemas().get() + "/" + component.newest());
        }
        assertThat(vendored).as("vendored versions are exactly the table's bounds").isEqualTo(named);
    }

    @Test
    void unknownFieldsFailInCoreKindsAndEveryOperatorsKinds() {
        assertRejected("Deployment", r -> ((ObjectNode) r.at("/spec/template/spec/containers/0"))
                .put("imagePullPolicyy", "Always"), "imagePullPolicyy: unknown field");
        assertRejected("Deployment", r -> ((ObjectNode) r.at("/metadata")).put("label", "x"), "metadata.label: unknown field");
        assertRejected("KafkaTopic", r -> ((ObjectNode) r.get("spec")).put("replicationFactor", 3),
                "spec.replicationFactor: unknown field");
        assertRejected("Cluster", r -> ((ObjectNode) r.get("spec")).put("instance", 3), "spec.instance: unknown field");
        assertRejected("ScaledObject", r -> ((ObjectNode) r.get("spec")).put("maxReplicas", 3),
                "spec.maxReplicas: unknown field");
        assertRejected("ObjectStore", r -> ((ObjectNode) r.at("/spec/configuration")).put("bucket", "b"),
                "spec.configuration.bucket: unknown field");
    }

    @Test
    void typesEnumsRequiredFieldsPatternsAndBoundsAreChecked() {
        assertRejected("Deployment", r -> ((ObjectNode) r.at("/spec/template/spec")).put("terminationGracePeriodSeconds", "40"),
                "terminationGracePeriodSeconds: expected integer");
        assertRejected("Kafka", r -> ((ObjectNode) r.at("/spec/kafka/listeners/0")).put("type", "internall"),
                "spec.kafka.listeners[0].type: \"internall\" is not one of");
        assertRejected("Kafka", r -> ((ObjectNode) r.at("/spec/kafka/listeners/0")).put("name", "Not-Valid"),
                "spec.kafka.listeners[0].name: 'Not-Valid' does not match");
        assertRejected("Kafka", r -> ((ObjectNode) r.at("/spec/kafka/listeners/0")).remove("port"),
                "spec.kafka.listeners[0]: required field port is missing");
        assertRejected("KafkaTopic", r -> ((ObjectNode) r.get("spec")).put("partitions", 0),
                "spec.partitions: 0 is below the minimum 1");
        assertRejected("Service", r -> ((ObjectNode) r.at("/spec/ports/0")).put("targetPort", true),
                "spec.ports[0].targetPort: expected an integer or a string");
        assertRejected("Kafka", r -> r.put("apiVersion", "kafka.strimzi.io/v1beta2"), "is not served");
    }

    @Test
    void preservedUnknownFieldsAndIntOrStringAreAccepted() {
        assertAccepted("Kafka", r -> ((ObjectNode) r.at("/spec/kafka/config")).put("log.retention.hours", 168));
        assertAccepted("Service", r -> ((ObjectNode) r.at("/spec/ports/0")).put("targetPort", 8080));
        assertAccepted("Service", r -> ((ObjectNode) r.at("/spec/ports/0")).put("targetPort", "http"));
    }

    /** The resource's errors against both bounds of its provider. */
    static List<String> validate(ObjectNode resource) {
        String apiVersion = resource.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        List<ApiSchemas> kubernetes = SupportedVersions.named("Kubernetes").bounds();
        List<ApiSchemas> provider = SupportedVersions.read().stream()
                .filter(c -> c.schemas().isPresent())
                .map(SupportedVersions.Component::bounds)
                .filter(bounds -> bounds.get(0).knowsGroup(group))
                .findFirst()
                .orElseThrow(() -> new AssertionError(Kustomize.id(resource) + ": no supported provider serves " + group));
        List<String> errors = new ArrayList<>();
        for (int bound = 0; bound < provider.size(); bound++) {
            errors.addAll(provider.get(bound).validate(resource, kubernetes.get(bound)));
        }
        return errors;
    }

    private static void assertRejected(String kind, Consumer<ObjectNode> change, String error) {
        ObjectNode resource = firstOf(kind);
        assertThat(validate(resource)).as("valid before the change").isEmpty();
        change.accept(resource);
        assertThat(validate(resource)).anySatisfy(message -> assertThat(message).contains(error));
    }

    private static void assertAccepted(String kind, Consumer<ObjectNode> change) {
        ObjectNode resource = firstOf(kind);
        change.accept(resource);
        assertThat(validate(resource)).isEmpty();
    }

    private static Stream<String> versionDirs(Path provider) {
        try (Stream<Path> versions = Files.list(provider)) {
            return versions.filter(Files::isDirectory).map(v -> provider.getFileName() + "/" + v.getFileName())
                    .toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode firstOf(String kind) {
        return Kustomize.build(Manifests.KUBERNETES_DIR.resolve("overlays/prod")).stream()
                .filter(r -> r.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in overlays/prod"));
    }
}
