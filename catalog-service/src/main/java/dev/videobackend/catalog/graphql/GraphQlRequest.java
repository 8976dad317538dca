package dev.videobackend.catalog.graphql;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A GraphQL request as GraphQL over HTTP defines it, from a GET's query parameters or a POST's JSON body:
 * {@code document} is null when only a persisted query's hash was sent.
 */
record GraphQlRequest(String document, String operationName, JsonObject variables, String persistedHash,
        Integer persistedVersion) {

    /** Thrown for a request whose parameters or body are not what GraphQL over HTTP defines. */
    static final class MalformedException extends RuntimeException {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The request {@code context} carries, or null for a body that is not JSON (left for SmallRye to refuse). */
    static GraphQlRequest of(RoutingContext context) {
        try {
            if (context.request().method() == HttpMethod.GET) {
                return of(parameter(context, "query"), parameter(context, "operationName"),
                        object(parameter(context, "variables"), "variables"),
                        object(parameter(context, "extensions"), "extensions"));
            }
            String contentType = context.request().getHeader("Content-Type");
            if (contentType != null && contentType.startsWith("application/graphql")) {
                return new GraphQlRequest(context.body().asString(), null, null, null, null);
            }
            JsonObject body = body(context);
            return body == null ? null : of(body.getString("query"), body.getString("operationName"),
                    body.getJsonObject("variables"), body.getJsonObject("extensions"));
        } catch (ClassCastException e) {
            throw new MalformedException("query and operationName must be strings, variables and extensions objects, "
                    + "persistedQuery.version a number");
        }
    }

    private static JsonObject body(RoutingContext context) {
        try {
            return context.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static String parameter(RoutingContext context, String name) {
        return context.queryParam(name).stream().findFirst().orElse(null);
    }

    private static GraphQlRequest of(String document, String operationName, JsonObject variables,
            JsonObject extensions) {
        JsonObject persisted = extensions == null ? null : extensions.getJsonObject("persistedQuery");
        String hash = persisted == null ? null : persisted.getString("sha256Hash");
        Integer version = persisted == null ? null : persisted.getInteger("version");
        if (persisted != null && hash == null) {
            throw new MalformedException("extensions.persistedQuery needs a sha256Hash");
        }
        return new GraphQlRequest(blankToNull(document), blankToNull(operationName), variables, hash, version);
    }

    GraphQlRequest withDocument(String resolved) {
        return new GraphQlRequest(resolved, operationName, variables, persistedHash, persistedVersion);
    }

    /** The request as SmallRye's POST handler reads it. */
    JsonObject toJson() {
        JsonObject json = new JsonObject().put("query", document);
        if (operationName != null) {
            json.put("operationName", operationName);
        }
        if (variables != null) {
            json.put("variables", variables);
        }
        return json;
    }

    /** What identifies the answer: the same document, operation and variables have the same anonymous answer. */
    String cacheKey() {
        return document + '\u0000' + (operationName == null ? "" : operationName) + '\u0000'
                + (variables == null ? "" : variables.encode());
    }

    private static JsonObject object(String json, String name) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return new JsonObject(json);
        } catch (DecodeException | ClassCastException e) {
            throw new MalformedException(name + " must be a JSON object");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
