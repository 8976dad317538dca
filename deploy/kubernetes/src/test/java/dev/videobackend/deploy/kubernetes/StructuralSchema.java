package dev.videobackend.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a value against an OpenAPI schema as the API server does with {@code kubectl apply --validate=strict}:
 * a CustomResourceDefinition's structural {@code openAPIV3Schema}, or a definition of the Kubernetes OpenAPI
 * (Swagger 2.0, whose {@code $ref}s resolve against {@code definitions}). An unknown field is an error unless its
 * object says {@code x-kubernetes-preserve-unknown-fields} or has {@code additionalProperties}; types, enums,
 * required fields, patterns, bounds on numbers, lengths and counts, int-or-string, nullability, list-type
 * uniqueness and allOf/anyOf/oneOf/not are checked. CEL rules ({@code x-kubernetes-validations}) and formats other
 * than int-or-string and int32 are not evaluated.
 */
final class StructuralSchema {

    private static final long INT32_MIN = Integer.MIN_VALUE;
    private static final long INT32_MAX = Integer.MAX_VALUE;

    private final JsonNode definitions;

    /** @param definitions what {@code #/definitions/Name} refers to; a missing node when the schema has no refs */
    StructuralSchema(JsonNode definitions) {
        this.definitions = definitions;
    }

    /** Every violation, each as "path: what is wrong"; empty when the value is valid. */
    List<String> validate(JsonNode value, JsonNode schema) {
        List<String> errors = new ArrayList<>();
        check(value, schema, "", true, errors);
        return errors;
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode resolved = schema;
        while (resolved.has("$ref")) {
            String ref = resolved.get("$ref").asText();
            if (!ref.startsWith("#/definitions/")) {
                throw new IllegalArgumentException("unsupported $ref " + ref);
            }
            JsonNode target = definitions.path(ref.substring("#/definitions/".length()));
            if (target.isMissingNode()) {
                throw new IllegalArgumentException("$ref to a definition that is not vendored: " + ref);
            }
            resolved = target;
        }
        return resolved;
    }

    /**
     * @param unknownFieldsAreErrors false inside allOf/anyOf/oneOf/not branches: a structural schema declares every
     *                               field in its properties, the branches only add value constraints
     */
    private void check(JsonNode value, JsonNode rawSchema, String path, boolean unknownFieldsAreErrors,
                       List<String> errors) {
        JsonNode schema = resolve(rawSchema);
        String where = path.isEmpty() ? "(root)" : path;
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                errors.add(where + ": null is not allowed");
            }
            return;
        }
        boolean intOrString = schema.path("x-kubernetes-int-or-string").asBoolean(false)
                || "int-or-string".equals(schema.path("format").asText());
        String type = schema.path("type").asText("");
        if (intOrString) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                errors.add(where + ": expected an integer or a string, got " + describe(value));
                return;
            }
        } else if (!type.isEmpty() && !hasType(value, type)) {
            errors.add(where + ": expected " + type + ", got " + describe(value));
            return;
        }
        checkEnum(value, schema, where, errors);
        if (value.isObject()) {
            checkObject(value, schema, path, where, unknownFieldsAreErrors, errors);
        } else if (value.isArray()) {
            checkArray(value, schema, path, where, unknownFieldsAreErrors, errors);
        } else if (value.isTextual()) {
            checkString(value.asText(), schema, where, errors);
        } else if (value.isNumber()) {
            checkNumber(value, schema, where, errors);
        }
        checkCombinations(value, schema, path, where, errors);
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException("unknown schema type " + type);
        };
    }

    private static void checkEnum(JsonNode value, JsonNode schema, String where, List<String> errors) {
        JsonNode allowed = schema.get("enum");
        if (allowed == null) {
            return;
        }
        for (JsonNode candidate : allowed) {
            if (candidate.equals(value) || candidate.isNumber() && value.isNumber()
                    && candidate.decimalValue().compareTo(value.decimalValue()) == 0) {
                return;
            }
        }
        errors.add(where + ": " + value + " is not one of " + allowed);
    }

    private void checkObject(JsonNode value, JsonNode schema, String path, String where,
                             boolean unknownFieldsAreErrors, List<String> errors) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        boolean embedded = schema.path("x-kubernetes-embedded-resource").asBoolean(false);
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) value::fields) {
            String name = field.getKey();
            String fieldPath = path.isEmpty() ? name : path + "." + name;
            if (properties.has(name)) {
                check(field.getValue(), properties.get(name), fieldPath, unknownFieldsAreErrors, errors);
            } else if (additional != null && additional.isObject()) {
                check(field.getValue(), additional, fieldPath, unknownFieldsAreErrors, errors);
            } else if (additional != null && additional.asBoolean(false) || preserveUnknown
                    || embedded && Set.of("apiVersion", "kind", "metadata").contains(name)) {
                continue;
            } else if (unknownFieldsAreErrors) {
                errors.add(fieldPath + ": unknown field");
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(where + ": required field " + required.asText() + " is missing");
            }
        }
        int size = value.size();
        if (schema.has("minProperties") && size < schema.get("minProperties").asInt()) {
            errors.add(where + ": fewer than " + schema.get("minProperties").asInt() + " fields");
        }
        if (schema.has("maxProperties") && size > schema.get("maxProperties").asInt()) {
            errors.add(where + ": more than " + schema.get("maxProperties").asInt() + " fields");
        }
    }

    private void checkArray(JsonNode value, JsonNode schema, String path, String where,
                            boolean unknownFieldsAreErrors, List<String> errors) {
        JsonNode items = schema.get("items");
        for (int i = 0; i < value.size(); i++) {
            if (items != null) {
                check(value.get(i), items, path + "[" + i + "]", unknownFieldsAreErrors, errors);
            }
        }
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
            errors.add(where + ": fewer than " + schema.get("minItems").asInt() + " items");
        }
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            errors.add(where + ": more than " + schema.get("maxItems").asInt() + " items");
        }
        String listType = schema.path("x-kubernetes-list-type").asText("");
        if (listType.equals("set") || schema.path("uniqueItems").asBoolean(false)) {
            Set<JsonNode> seen = new HashSet<>();
            value.forEach(item -> {
                if (!seen.add(item)) {
                    errors.add(where + ": duplicate item " + item);
                }
            });
        } else if (listType.equals("map")) {
            Set<List<JsonNode>> seen = new HashSet<>();
            value.forEach(item -> {
                List<JsonNode> key = new ArrayList<>();
                schema.path("x-kubernetes-list-map-keys").forEach(k -> key.add(item.path(k.asText())));
                if (!seen.add(key)) {
                    errors.add(where + ": duplicate entry for key " + key);
                }
            });
        }
    }

    private static void checkString(String text, JsonNode schema, String where, List<String> errors) {
        if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
            errors.add(where + ": '" + text + "' does not match " + schema.get("pattern").asText());
        }
        int length = text.codePointCount(0, text.length());
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            errors.add(where + ": shorter than " + schema.get("minLength").asInt() + " characters");
        }
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            errors.add(where + ": longer than " + schema.get("maxLength").asInt() + " characters");
        }
    }

    private static void checkNumber(JsonNode value, JsonNode schema, String where, List<String> errors) {
        double number = value.asDouble();
        if (schema.has("minimum")) {
            double minimum = schema.get("minimum").asDouble();
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            if (exclusive ? number <= minimum : number < minimum) {
                errors.add(where + ": " + value + " is below the minimum " + schema.get("minimum"));
            }
        }
        if (schema.has("maximum")) {
            double maximum = schema.get("maximum").asDouble();
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            if (exclusive ? number >= maximum : number > maximum) {
                errors.add(where + ": " + value + " is above the maximum " + schema.get("maximum"));
            }
        }
        if ("int32".equals(schema.path("format").asText()) && value.isIntegralNumber()
                && (value.asLong() < INT32_MIN || value.asLong() > INT32_MAX || !value.canConvertToLong())) {
            errors.add(where + ": " + value + " does not fit an int32");
        }
    }

    private void checkCombinations(JsonNode value, JsonNode schema, String path, String where, List<String> errors) {
        for (JsonNode branch : schema.path("allOf")) {
            check(value, branch, path, false, errors);
        }
        if (schema.has("anyOf") && countValid(value, schema.get("anyOf"), path) == 0) {
            errors.add(where + ": matches none of anyOf " + schema.get("anyOf"));
        }
        if (schema.has("oneOf")) {
            int valid = countValid(value, schema.get("oneOf"), path);
            if (valid != 1) {
                errors.add(where + ": matches " + valid + " of oneOf, not exactly one");
            }
        }
        if (schema.has("not")) {
            List<String> branchErrors = new ArrayList<>();
            check(value, schema.get("not"), path, false, branchErrors);
            if (branchErrors.isEmpty()) {
                errors.add(where + ": matches a schema it must not match: " + schema.get("not"));
            }
        }
    }

    private int countValid(JsonNode value, JsonNode branches, String path) {
        int valid = 0;
        for (JsonNode branch : branches) {
            List<String> branchErrors = new ArrayList<>();
            check(value, branch, path, false, branchErrors);
            valid += branchErrors.isEmpty() ? 1 : 0;
        }
        return valid;
    }

    private static String describe(JsonNode value) {
        return value.getNodeType().name().toLowerCase() + " " + value;
    }
}
