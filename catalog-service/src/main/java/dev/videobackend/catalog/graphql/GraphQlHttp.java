package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.error.Problem;
import dev.videobackend.catalog.error.RouteProblems;
import dev.videobackend.catalog.error.ValidationException;
import graphql.language.OperationDefinition;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * GraphQL over HTTP in front of SmallRye's handler: reads the request (GET parameters or POST body), resolves
 * persisted queries, refuses a mutation sent with GET (405: GET must be safe, since caches repeat it), and hands
 * anonymous reads to {@link AnonymousAnswers}. SmallRye then runs what is left.
 *
 * <p>SmallRye's GET handler (Quarkus 3.33) URL-decodes {@code query} and {@code variables} a second time (a
 * {@code +} would become a space) and takes the query's text for {@code operationName}; so for GET this handler
 * passes it parameters encoded once more, without an operation name, and a document cut down to the selected
 * operation.
 */
@ApplicationScoped
class GraphQlHttp {

    static final String PATH = "/graphql";
    private static final int BODY = GraphQlBodyLimit.ORDER + 10;
    private static final int ORDER = GraphQlBodyLimit.ORDER + 20;

    private final GraphQlConfig config;
    private final PersistedQueries persisted;
    private final GraphQlDocuments documents;
    private final AnonymousAnswers answers;

    GraphQlHttp(GraphQlConfig config, PersistedQueries persisted, GraphQlDocuments documents,
            AnonymousAnswers answers) {
        this.config = config;
        this.persisted = persisted;
        this.documents = documents;
        this.answers = answers;
    }

    void install(@Observes Router router) {
        // The same limit as GraphQlBodyLimit's; SmallRye's own body handler then finds the body read.
        router.route(HttpMethod.POST, PATH).order(BODY)
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
        router.route(PATH).order(ORDER).handler(this::handle);
    }

    static boolean isGraphQlRequest(RoutingContext context) {
        HttpMethod method = context.request().method();
        return (method == HttpMethod.GET || method == HttpMethod.POST)
                && !"websocket".equalsIgnoreCase(context.request().getHeader(HttpHeaders.UPGRADE));
    }

    private void handle(RoutingContext context) {
        if (!isGraphQlRequest(context)) {
            context.next();
            return;
        }
        boolean get = context.request().method() == HttpMethod.GET;
        GraphQlRequest request;
        try {
            request = GraphQlRequest.of(context);
        } catch (GraphQlRequest.MalformedException e) {
            RouteProblems.send(context, Problem.of(400, ValidationException.CODE, "Bad Request", e.getMessage()));
            return;
        }
        if (request == null) {
            context.next();
            return;
        }
        if (request.persistedHash() != null) {
            Optional<GraphQlRequest> resolved = resolve(context, request, get);
            if (resolved.isEmpty()) {
                return;
            }
            request = resolved.get();
        }
        if (request.document() == null) {
            context.next();
            return;
        }
        if (get) {
            Optional<GraphQlRequest> prepared = prepareGet(context, request);
            if (prepared.isEmpty()) {
                return;
            }
            request = prepared.get();
        }
        answers.serve(context, request, get);
    }

    /** The request with its persisted document; empty when the answer has been sent already. */
    private Optional<GraphQlRequest> resolve(RoutingContext context, GraphQlRequest request, boolean get) {
        if (request.persistedVersion() == null || request.persistedVersion() != PersistedQueries.VERSION) {
            sendError(context, 400, "persistedQuery.version must be " + PersistedQueries.VERSION,
                    ValidationException.CODE);
            return Optional.empty();
        }
        if (request.document() != null) {
            if (!persisted.register(request.persistedHash(), request.document())) {
                sendError(context, 400, "persistedQuery.sha256Hash is not the SHA-256 of the query",
                        ValidationException.CODE);
                return Optional.empty();
            }
            return Optional.of(request);
        }
        Optional<String> document = persisted.find(request.persistedHash());
        if (document.isEmpty()) {
            // The message and code Apollo's clients look for before sending the document with the hash.
            sendError(context, 200, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND");
            return Optional.empty();
        }
        GraphQlRequest resolved = request.withDocument(document.get());
        if (!get) {
            context.setBody(Buffer.buffer(resolved.toJson().encode()));
        }
        return Optional.of(resolved);
    }

    /** Checks a GET and rewrites its parameters for SmallRye; empty when the answer has been sent already. */
    private Optional<GraphQlRequest> prepareGet(RoutingContext context, GraphQlRequest request) {
        GraphQlDocuments.Selection selection = documents.select(request.document(), request.operationName());
        if (selection.refusal() != null) {
            sendError(context, 400, selection.refusal(), ValidationException.CODE);
            return Optional.empty();
        }
        GraphQlDocuments.Selected selected = selection.selected();
        if (selected != null && selected.type() != OperationDefinition.Operation.QUERY) {
            context.response().putHeader(HttpHeaders.ALLOW, "POST");
            RouteProblems.send(context, Problem.of(405, "METHOD_NOT_ALLOWED", "Method Not Allowed",
                    "A " + selected.type().name().toLowerCase() + " must be sent with POST; GET only reads"));
            return Optional.empty();
        }
        MultiMap parameters = context.queryParams();
        parameters.set("query", encodeAgain(selected == null ? request.document() : selected.document()));
        parameters.remove("operationName");
        parameters.remove("extensions");
        if (request.variables() == null) {
            parameters.remove("variables");
        } else {
            parameters.set("variables", encodeAgain(request.variables().encode()));
        }
        return Optional.of(request);
    }

    private static String encodeAgain(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A GraphQL error answer, as clients of GraphQL over HTTP read them. */
    static void sendError(RoutingContext context, int status, String message, String code) {
        JsonObject error = new JsonObject().put("message", message).put("extensions", new JsonObject().put("code", code));
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(new JsonObject().put("errors", new JsonArray().add(error)).encode());
    }
}
