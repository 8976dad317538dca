package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.video.query.ReadCache;
import dev.videobackend.catalog.video.query.Reads;
import graphql.ExecutionResult;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.graphql.api.Context;
import io.smallrye.graphql.execution.ExecutionResponse;
import io.smallrye.graphql.execution.context.SmallRyeContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Anonymous GraphQL reads answered from the {@link ReadCache}, and their answers stored there as SmallRye writes
 * them. An answer is the same for every anonymous caller, so a stored one is sent as it is, with an {@code ETag}
 * ({@code 304} when the client has it); to GET it is also {@code Cache-Control: public} for {@code http-max-age},
 * so that browsers and a CDN can serve it too ({@code Vary: Authorization}: never to a signed-in caller). Signed-in
 * callers' answers are {@code private, no-store}. {@code Cache-Status} (RFC 9211) says whether the catalog's cache
 * answered. SmallRye reports each execution's result to {@link AnswerEvents}, which completes the pending answer.
 */
@ApplicationScoped
class AnonymousAnswers {

    private static final String PENDING = AnonymousAnswers.class.getName();
    private static final String CACHE_STATUS = "Cache-Status";
    /** What SmallRye answers when the client accepts anything. */
    private static final String DEFAULT_CONTENT_TYPE = "application/graphql-response+json; charset=UTF-8";
    /** The types SmallRye answers with when they are accepted. */
    private static final List<String> JSON_TYPES = List.of("application/json", "application/graphql-response+json",
            "application/graphql+json");
    private static final String VARY = "Authorization";

    private final ReadCache cache;
    private final String publicCacheControl;

    AnonymousAnswers(ReadCache cache, GraphQlConfig config) {
        this.cache = cache;
        this.publicCacheControl = "public, max-age=" + config.httpMaxAge().toSeconds();
    }

    /** An answer on its way into the cache: its request's key, what it read, and where the answer goes. */
    private record Pending(AnonymousAnswers answers, String key, Reads reads, RoutingContext context, boolean get) {

        void complete(Context execution) {
            answers.store(this, execution);
        }
    }

    /** Answers from the cache, or lets SmallRye answer and stores what it says; call it on the request's context. */
    void serve(RoutingContext context, GraphQlRequest request, boolean get) {
        HttpServerResponse response = context.response();
        if (get) {
            response.putHeader(HttpHeaders.VARY, VARY);
            context.addHeadersEndHandler(ignored -> {
                if (!response.headers().contains(HttpHeaders.CACHE_CONTROL)) {
                    response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                }
            });
        }
        if (context.request().getHeader(HttpHeaders.AUTHORIZATION) != null) {
            if (get) {
                response.putHeader(HttpHeaders.CACHE_CONTROL, "private, no-store");
            }
            context.next();
            return;
        }
        String contentType = contentType(context);
        if (contentType == null) {
            context.next();
            return;
        }
        String key = request.cacheKey();
        var stored = cache.get(key);
        if (stored.isPresent()) {
            ReadCache.Answer answer = stored.get();
            headers(response, answer.tag(), get).putHeader(CACHE_STATUS, "catalog; hit");
            if (get && matches(context.request().getHeader(HttpHeaders.IF_NONE_MATCH), answer.tag())) {
                response.setStatusCode(304).end();
            } else {
                response.putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(Buffer.buffer(answer.body()));
            }
            return;
        }
        cache.track().ifPresent(reads -> ContextLocals.put(PENDING, new Pending(this, key, reads, context, get)));
        context.next();
    }

    /**
     * Completes the pending answer of the request being executed on this Vert.x context, if there is one: called by
     * SmallRye (through {@link AnswerEvents}) once the execution is done, just before it writes the same answer.
     */
    static void executed(Context execution) {
        if (!VertxContext.isOnDuplicatedContext()) {
            return;
        }
        Pending pending = ContextLocals.get(PENDING, null);
        if (pending != null) {
            ContextLocals.remove(PENDING);
            pending.complete(execution);
        }
    }

    private void store(Pending pending, Context execution) {
        ExecutionResult result = execution.unwrap(ExecutionResult.class);
        HttpServerResponse response = pending.context().response();
        if (!cacheable(execution, result)) {
            response.putHeader(CACHE_STATUS, "catalog; fwd=miss");
            return;
        }
        byte[] body = new ExecutionResponse(result).getExecutionResultAsString().getBytes(StandardCharsets.UTF_8);
        String tag = tag(body);
        boolean stored = cache.store(pending.key(), pending.reads(), new ReadCache.Answer(body, tag));
        headers(response, tag, pending.get()).putHeader(CACHE_STATUS, stored ? "catalog; fwd=miss; stored"
                : "catalog; fwd=miss");
    }

    /** A query that succeeded, whose answer SmallRye writes exactly as {@link ExecutionResponse} serializes it. */
    private static boolean cacheable(Context execution, ExecutionResult result) {
        List<String> types = execution.getRequestedOperationTypes();
        return result != null && result.isDataPresent() && result.getErrors().isEmpty()
                && types != null && !types.isEmpty() && types.stream().allMatch("QUERY"::equals)
                && !(execution instanceof SmallRyeContext smallRye && smallRye.getAddedExtensions() != null
                        && !smallRye.getAddedExtensions().isEmpty());
    }

    private HttpServerResponse headers(HttpServerResponse response, String tag, boolean get) {
        response.putHeader(HttpHeaders.ETAG, tag);
        if (get) {
            response.putHeader(HttpHeaders.CACHE_CONTROL, publicCacheControl);
        }
        return response;
    }

    /**
     * The content type SmallRye would answer with: the first accepted JSON type, or its default for anything;
     * null (SmallRye then answers) for anything else, or another charset than the stored UTF-8.
     */
    private static String contentType(RoutingContext context) {
        List<MIMEHeader> accepted = context.parsedHeaders().accept();
        if (accepted.isEmpty()) {
            return DEFAULT_CONTENT_TYPE;
        }
        for (MIMEHeader type : accepted) {
            String raw = type.rawValue();
            if (JSON_TYPES.stream().anyMatch(raw::startsWith)) {
                String charset = type.parameter("charset");
                return charset == null || charset.equalsIgnoreCase("utf-8") ? raw : null;
            }
            if (raw.startsWith("*/*")) {
                return DEFAULT_CONTENT_TYPE;
            }
        }
        return null;
    }

    /** {@code If-None-Match}: {@code *} or a list of tags, weak ones compared weakly. */
    private static boolean matches(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::strip)
                .map(candidate -> candidate.startsWith("W/") ? candidate.substring(2) : candidate)
                .anyMatch(candidate -> candidate.equals("*") || candidate.equals(tag));
    }

    /** A strong validator of the body: two CRCs of different polynomials (64 bits, both CPU instructions). */
    private static String tag(byte[] body) {
        CRC32C castagnoli = new CRC32C();
        castagnoli.update(body);
        CRC32 ieee = new CRC32();
        ieee.update(body);
        return "\"" + Long.toHexString(castagnoli.getValue() << 32 | ieee.getValue()) + "\"";
    }
}
