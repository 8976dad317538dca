package dev.videobackend.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The published schemas of one version of one API provider, vendored under {@code src/test/resources/schemas/}
 * (see the README there): the Kubernetes OpenAPI ({@code swagger.json}, its definitions by group, version and
 * kind), or an operator's CustomResourceDefinitions (each served version's {@code openAPIV3Schema}).
 */
final class ApiSchemas {

    static final Path ROOT = Manifests.KUBERNETES_DIR.resolve("src/test/resources/schemas");

    /** A served version of a kind: its schema, and the deprecation warning the API server would give. */
    private record Served(JsonNode schema, Optional<String> deprecation) {
    }

    final String provider;
    final String version;
    private final Map<String, Served> kinds = new HashMap<>();
    private final StructuralSchema validator;

    private ApiSchemas(String provider, String version, Path dir) {
        this.provider = provider;
        this.version = version;
        Path openApi = dir.resolve("swagger.json");
        if (Files.exists(openApi)) {
            JsonNode definitions = readJson(openApi).path("definitions");
            definitions.fields().forEachRemaining(definition -> {
                for (JsonNode gvk : definition.getValue().path("x-kubernetes-group-version-kind")) {
                    kinds.put(key(gvk.path("group").asText(), gvk.path("version").asText(), gvk.path("kind").asText()),
                            new Served(definition.getValue(), Optional.empty()));
                }
            });
            validator = new StructuralSchema(definitions);
        } else {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(file -> file.toString().endsWith(".yaml")).sorted()
                        .flatMap(file -> Kustomize.readDocuments(file).stream())
                        .forEach(this::addCustomResourceDefinition);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            validator = new StructuralSchema(MissingNode.getInstance());
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no schema");
        }
    }

    private static final Map<Path, ApiSchemas> LOADED = new ConcurrentHashMap<>();

    /** Read once per provider and version: the tests only read them. */
    static ApiSchemas load(String provider, String version) {
        Path dir = ROOT.resolve(provider).resolve(version);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no vendored schemas for " + provider + " " + version + " in " + dir);
        }
        return LOADED.computeIfAbsent(dir, d -> new ApiSchemas(provider, version, d));
    }

    private void addCustomResourceDefinition(ObjectNode crd) {
        if (!crd.path("kind").asText().equals("CustomResourceDefinition")) {
            throw new IllegalArgumentException("not a CustomResourceDefinition: " + Kustomize.id(crd));
        }
        String group = crd.at("/spec/group").asText();
        String kind = crd.at("/spec/names/kind").asText();
        for (JsonNode version : crd.at("/spec/versions")) {
            if (version.path("served").asBoolean()) {
                Optional<String> deprecation = version.path("deprecated").asBoolean(false)
                        ? Optional.of(version.path("deprecationWarning").asText("deprecated"))
                        : Optional.empty();
                kinds.put(key(group, version.path("name").asText(), kind),
                        new Served(version.at("/schema/openAPIV3Schema"), deprecation));
            }
        }
    }

    /** Whether this provider serves the resource's group and kind in any version. */
    boolean knowsGroup(String group) {
        return kinds.keySet().stream().anyMatch(key -> key.startsWith(group + "/"));
    }

    /**
     * What the API server would refuse (or warn about) when the resource is applied with strict validation. A
     * custom resource's metadata, which CRD schemas leave open, is checked against {@code kubernetes}'s ObjectMeta.
     */
    List<String> validate(ObjectNode resource, ApiSchemas kubernetes) {
        String apiVersion = resource.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String kind = resource.path("kind").asText();
        String name = provider + " " + this.version + ": " + Kustomize.id(resource);
        Served served = kinds.get(key(group, version, kind));
        if (served == null) {
            return List.of(name + ": " + apiVersion + " " + kind + " is not served");
        }
        if (served.deprecation().isPresent()) {
            return List.of(name + ": " + served.deprecation().get());
        }
        ObjectNode withoutMetadata = resource.deepCopy();
        JsonNode metadata = withoutMetadata.remove("metadata");
        List<String> errors = new ArrayList<>(validator.validate(withoutMetadata, served.schema()).stream()
                .filter(error -> !error.startsWith("(root): required field metadata"))
                .map(error -> name + ": " + error).toList());
        if (metadata == null) {
            errors.add(name + ": metadata is missing");
        } else {
            kubernetes.validator.validate(metadata, kubernetes.objectMeta())
                    .forEach(error -> errors.add(name + ": metadata." + error));
        }
        return errors;
    }

    private JsonNode objectMeta() {
        JsonNode namespace = kinds.get(key("", "v1", "Namespace")).schema();
        return namespace.at("/properties/metadata");
    }

    private static String key(String group, String version, String kind) {
        return group + "/" + version + "/" + kind;
    }

    private static JsonNode readJson(Path file) {
        try {
            return Manifests.STRICT.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
