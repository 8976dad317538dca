package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.error.CatalogException;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.smallrye.graphql.api.Context;
import io.smallrye.graphql.spi.EventingService;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Counts GraphQL operations by root field (the schema's names, never a client's operation or alias names), type
 * and outcome code ({@code catalog_graphql_operations_total}): {@code OK}, or the {@code extensions.code} clients
 * see. A request refused before any field ran (a syntax error, a query too deep) counts under operation
 * {@code none}. Their latency by field is SmallRye's own timer ({@code mp_graphql_seconds}). Loaded by SmallRye
 * from {@code META-INF/services}, like {@link AnswerEvents}.
 */
public class GraphQlMetrics implements EventingService {

    private static final Set<String> ROOT_TYPES = Set.of("Query", "Mutation", "Subscription");
    /** Codes are documented constants; anything else (an unexpected error's class) is not a label. */
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z_]{1,40}");
    private volatile MeterRegistry registry;

    @Override
    public String getConfigKey() {
        return "catalog.metrics.graphql-operations";
    }

    @Override
    public void afterDataFetch(Context field) {
        if (isRoot(field)) {
            count(field.getFieldName(), type(field), "OK");
        }
    }

    @Override
    public void errorDataFetch(Context field, Throwable failure) {
        if (isRoot(field)) {
            count(field.getFieldName(), type(field), failure instanceof CatalogException refusal
                    ? bounded(refusal.code()) : "INTERNAL");
        }
    }

    @Override
    public void afterExecute(Context execution) {
        ExecutionResult result = execution.unwrap(ExecutionResult.class);
        if (result != null && !result.isDataPresent() && !result.getErrors().isEmpty()) {
            count("none", "none", code(result.getErrors().get(0)));
        }
    }

    private static boolean isRoot(Context field) {
        return field.getParentTypeName().filter(ROOT_TYPES::contains).isPresent();
    }

    private static String type(Context field) {
        return field.getParentTypeName().orElseThrow().toLowerCase();
    }

    private static String code(GraphQLError error) {
        Map<String, Object> extensions = error.getExtensions();
        Object code = extensions == null ? null : extensions.get("code");
        return code == null ? String.valueOf(error.getErrorType()).toUpperCase() : bounded(code.toString());
    }

    private static String bounded(String code) {
        return CODE.matcher(code).matches() ? code : "OTHER";
    }

    private void count(String operation, String type, String code) {
        Counter.builder("catalog.graphql.operations").description("GraphQL operations by root field and outcome")
                .tag("operation", operation).tag("type", type).tag("code", code).register(registry()).increment();
    }

    /** SmallRye creates this service itself, outside CDI: the registry is looked up once, when first needed. */
    private MeterRegistry registry() {
        MeterRegistry current = registry;
        if (current == null) {
            current = Arc.container().instance(MeterRegistry.class).get();
            registry = current;
        }
        return current;
    }
}
