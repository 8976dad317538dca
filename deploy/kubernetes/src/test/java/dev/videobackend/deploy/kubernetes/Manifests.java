package dev.videobackend.deploy.kubernetes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An assembled kustomization, every core resource deserialised into fabric8's typed model (unknown fields fail:
 * fabric8's "additional properties" catch-all is switched off here). The operators' custom resources stay JSON
 * trees: {@link SchemaValidationTest} holds them to the operators' published schemas, which no Java model of a
 * single operator version could.
 */
final class Manifests {

    static final Path PROJECT_ROOT = Path.of(System.getProperty("project.root", "../.."));
    static final Path KUBERNETES_DIR = PROJECT_ROOT.resolve("deploy/kubernetes");

    /** The typed class of each kind, by apiVersion and kind. */
    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy", ValidatingAdmissionPolicy.class),
            Map.entry("admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding",
                    ValidatingAdmissionPolicyBinding.class));

    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            })
            .build();

    final List<ObjectNode> raw;
    final List<Object> typed;

    private Manifests(List<ObjectNode> raw) {
        this.raw = raw;
        this.typed = new ArrayList<>();
        for (ObjectNode resource : raw) {
            typed.add(toTyped(resource));
        }
    }

    /** Assembled once per overlay: the tests only read them. */
    private static final Map<String, Manifests> OVERLAYS = new ConcurrentHashMap<>();

    static Manifests overlay(String name) {
        return OVERLAYS.computeIfAbsent(name, n -> of(KUBERNETES_DIR.resolve("overlays").resolve(n)));
    }

    static Manifests of(Path kustomizationDir) {
        return new Manifests(Kustomize.build(kustomizationDir));
    }

    /** The fabric8 object of a core resource; a custom resource as it is. */
    static Object toTyped(ObjectNode resource) {
        String type = resource.path("apiVersion").asText() + "/" + resource.path("kind").asText();
        Class<?> modelClass = TYPES.get(type);
        if (modelClass == null && isCustomResource(resource)) {
            return resource;
        }
        if (modelClass == null) {
            throw new IllegalArgumentException(Kustomize.id(resource) + ": no typed model for " + type);
        }
        try {
            return STRICT.treeToValue(resource, modelClass);
        } catch (Exception e) {
            throw new IllegalArgumentException(Kustomize.id(resource) + " does not fit " + modelClass.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Custom resources belong to API groups with a dot that Kubernetes itself does not serve. */
    static boolean isCustomResource(JsonNode resource) {
        String apiVersion = resource.path("apiVersion").asText();
        return apiVersion.contains(".") && !apiVersion.substring(0, apiVersion.indexOf('/')).endsWith(".k8s.io");
    }

    /** The custom resources of a kind. */
    List<ObjectNode> custom(String kind) {
        return raw.stream().filter(r -> isCustomResource(r) && r.path("kind").asText().equals(kind)).toList();
    }

    /** The only custom resource of a kind. */
    ObjectNode onlyCustom(String kind) {
        List<ObjectNode> found = custom(kind);
        if (found.size() != 1) {
            throw new NoSuchElementException("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    <T> List<T> all(Class<T> type) {
        return typed.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException(type.getSimpleName() + "/" + name + " missing"));
    }

    Deployment deployment(String name) {
        return named(Deployment.class, name);
    }

    ConfigMap configMap(String name) {
        return named(ConfigMap.class, name);
    }
}
