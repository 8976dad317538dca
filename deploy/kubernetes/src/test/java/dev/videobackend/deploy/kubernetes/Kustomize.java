package dev.videobackend.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of kustomize these manifests use, so that the tests check what {@code kubectl apply -k} would apply
 * without a kustomize binary: {@code resources} (files and directories), {@code namespace}, {@code labels},
 * {@code images} (new name, tag and digest) and strategic-merge {@code patches}, with the {@code $patch: delete}
 * directive on a whole resource or on an element of a list with a merge key. Any other field fails the assembly, so an overlay cannot use
 * something these tests would silently ignore.
 */
final class Kustomize {

    static final ObjectMapper YAML = new YAMLMapper();

    private static final Set<String> SUPPORTED_FIELDS =
            Set.of("apiVersion", "kind", "resources", "namespace", "labels", "images", "patches");
    /** Kinds that have no namespace; kustomize leaves them alone (and renames the Namespace itself). */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "StorageClass", "ClusterRole",
            "ClusterRoleBinding", "PersistentVolume", "CustomResourceDefinition", "ClusterTriggerAuthentication");
    /** Strategic-merge keys of the lists the patches touch; any other list is replaced, as kustomize does. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "volumes", "name",
            "env", "name",
            "ports", "containerPort",
            "volumeMounts", "mountPath");
    /** API groups whose kinds kustomize knows the schema of; patches of other kinds are JSON merge patches. */
    private static final Set<String> BUILT_IN_GROUPS =
            Set.of("v1", "apps/v1", "autoscaling/v2", "policy/v1", "networking.k8s.io/v1");

    private Kustomize() {
    }

    /** The resources the kustomization in {@code dir} produces, in the order of its resources. */
    static List<ObjectNode> build(Path dir) {
        ObjectNode kustomization = readKustomization(dir);
        List<String> unsupported = new ArrayList<>();
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!SUPPORTED_FIELDS.contains(field)) {
                unsupported.add(field);
            }
        });
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(dir + ": kustomization fields not implemented here: " + unsupported);
        }
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path path = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(build(path));
            } else {
                resources.addAll(readDocuments(path));
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            requireOnly(patch, Set.of("path"), dir + " patches");
            for (ObjectNode document : readDocuments(dir.resolve(patch.get("path").asText()))) {
                applyPatch(resources, document);
            }
        }
        for (JsonNode labels : kustomization.path("labels")) {
            applyLabels(resources, labels, dir);
        }
        for (JsonNode image : kustomization.path("images")) {
            requireOnly(image, Set.of("name", "newName", "newTag", "digest"), dir + " images");
            resources.forEach(resource -> retag(resource, image));
        }
        if (kustomization.has("namespace")) {
            String namespace = kustomization.get("namespace").asText();
            resources.forEach(resource -> setNamespace(resource, namespace));
        }
        return resources;
    }

    /** Every YAML document of a file, skipping empty ones (a file may start with comments and "---"). */
    static List<ObjectNode> readDocuments(Path file) {
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            List<ObjectNode> documents = new ArrayList<>();
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && document.isObject()) {
                    documents.add((ObjectNode) document);
                } else if (document != null && !document.isNull() && !document.isMissingNode()) {
                    throw new IllegalArgumentException(file + ": a document is not a mapping");
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    private static ObjectNode readKustomization(Path dir) {
        List<ObjectNode> documents = readDocuments(dir.resolve("kustomization.yaml"));
        if (documents.size() != 1) {
            throw new IllegalArgumentException(dir + ": kustomization.yaml must hold exactly one document");
        }
        return documents.get(0);
    }

    private static void requireOnly(JsonNode node, Set<String> fields, String where) {
        node.fieldNames().forEachRemaining(field -> {
            if (!fields.contains(field)) {
                throw new IllegalArgumentException(where + ": field '" + field + "' not implemented here");
            }
        });
    }

    private static void applyPatch(List<ObjectNode> resources, ObjectNode patch) {
        ObjectNode target = resources.stream()
                .filter(resource -> sameObject(resource, patch))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("patch targets no resource: " + id(patch)));
        boolean strategic = BUILT_IN_GROUPS.contains(patch.path("apiVersion").asText());
        if (strategic && isDelete(patch)) {
            resources.remove(target);
            return;
        }
        merge(target, patch, strategic);
    }

    private static boolean sameObject(JsonNode a, JsonNode b) {
        return a.path("apiVersion").equals(b.path("apiVersion")) && a.path("kind").equals(b.path("kind"))
                && a.path("metadata").path("name").equals(b.path("metadata").path("name"));
    }

    /** Merges maps key by key, lists with a merge key element by element; a null deletes, as in a merge patch. */
    private static void merge(ObjectNode target, ObjectNode patch, boolean strategic) {
        patch.fields().forEachRemaining(field -> {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.startsWith("$")) {
                throw new IllegalArgumentException("patch directive " + key + " not implemented here");
            }
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, (ObjectNode) value, strategic);
            } else if (strategic && value.isArray() && existing != null && existing.isArray()
                    && MERGE_KEYS.containsKey(key)) {
                mergeList((ArrayNode) existing, (ArrayNode) value, MERGE_KEYS.get(key));
            } else {
                target.set(key, value.deepCopy());
            }
        });
    }

    /** As kustomize orders it: the patch's elements (merged into their originals) first, then the others. */
    private static void mergeList(ArrayNode target, ArrayNode patch, String mergeKey) {
        ArrayNode merged = target.arrayNode();
        Set<JsonNode> patchedKeys = new HashSet<>();
        for (JsonNode element : patch) {
            JsonNode key = element.get(mergeKey);
            if (key == null) {
                throw new IllegalArgumentException("list element without its merge key " + mergeKey + ": " + element);
            }
            patchedKeys.add(key);
            if (isDelete(element)) {
                continue;
            }
            ObjectNode result = element.deepCopy();
            for (JsonNode original : target) {
                if (key.equals(original.get(mergeKey))) {
                    result = original.deepCopy();
                    merge(result, (ObjectNode) element, true);
                }
            }
            merged.add(result);
        }
        for (JsonNode original : target) {
            if (!patchedKeys.contains(original.get(mergeKey))) {
                merged.add(original);
            }
        }
        target.removeAll();
        target.addAll(merged);
    }

    private static boolean isDelete(JsonNode patch) {
        JsonNode directive = patch.get("$patch");
        if (directive != null && !directive.asText().equals("delete")) {
            throw new IllegalArgumentException("patch directive $patch: " + directive.asText() + " not implemented here");
        }
        return directive != null;
    }

    private static void applyLabels(List<ObjectNode> resources, JsonNode labels, Path dir) {
        requireOnly(labels, Set.of("pairs", "includeTemplates", "includeSelectors"), dir + " labels");
        if (labels.path("includeSelectors").asBoolean(false)) {
            throw new IllegalArgumentException(dir + ": labels.includeSelectors not implemented here");
        }
        boolean templates = labels.path("includeTemplates").asBoolean(false);
        for (ObjectNode resource : resources) {
            addLabels(resource, labels.get("pairs"));
            JsonNode template = resource.path("spec").path("template");
            if (templates && template.isObject()) {
                addLabels((ObjectNode) template, labels.get("pairs"));
            }
        }
    }

    private static void addLabels(ObjectNode object, JsonNode pairs) {
        ObjectNode metadata = object.has("metadata") ? (ObjectNode) object.get("metadata") : object.putObject("metadata");
        ObjectNode labels = metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
        labels.setAll((ObjectNode) pairs.deepCopy());
    }

    /**
     * Rewrites the image of every container of a pod template whose image name (tag and digest aside) matches, as
     * kustomize does: a new tag or digest replaces both the old ones, and both may be set ({@code name:tag@digest}).
     */
    private static void retag(ObjectNode resource, JsonNode image) {
        JsonNode podSpec = resource.path("spec").path("template").path("spec");
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : podSpec.path(list)) {
                String current = container.path("image").asText();
                String reference = current.contains("@") ? current.substring(0, current.indexOf('@')) : current;
                String digest = current.contains("@") ? current.substring(current.indexOf('@') + 1) : null;
                int colon = reference.lastIndexOf(':');
                boolean tagged = colon > reference.lastIndexOf('/');
                String name = tagged ? reference.substring(0, colon) : reference;
                String tag = tagged ? reference.substring(colon + 1) : null;
                if (!name.equals(image.get("name").asText())) {
                    continue;
                }
                if (image.has("newTag") || image.has("digest")) {
                    tag = image.path("newTag").asText(null);
                    digest = image.path("digest").asText(null);
                }
                String newName = image.path("newName").asText(name);
                ((ObjectNode) container).put("image", newName + (tag == null ? "" : ":" + tag)
                        + (digest == null ? "" : "@" + digest));
            }
        }
    }

    private static void setNamespace(ObjectNode resource, String namespace) {
        ObjectNode metadata = (ObjectNode) resource.get("metadata");
        String kind = resource.path("kind").asText();
        if (kind.equals("Namespace")) {
            metadata.put("name", namespace);
        } else if (!CLUSTER_SCOPED.contains(kind)) {
            metadata.put("namespace", namespace);
        }
    }

    static String id(JsonNode resource) {
        return resource.path("kind").asText() + "/" + resource.path("metadata").path("name").asText();
    }
}
