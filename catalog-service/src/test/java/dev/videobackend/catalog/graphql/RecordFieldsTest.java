package dev.videobackend.catalog.graphql;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.Coercing;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which fields {@link RecordFields} reads from records itself, and what it hands back to the fetcher it replaces. */
class RecordFieldsTest {

    private static final String SDL = """
            type Query { item: Item, plain: Item, renamed: Renamed }
            type Item { name: String, id: ID, count: Int, ratio: Float, ok: Boolean, tags: [String!],
                        child: Item, children: [Item!], kind: Kind, size: Long }
            type Renamed { label: String }
            enum Kind { SHORT, LONG }
            scalar Long
            """;

    public record Item(String name, String id, int count, double ratio, boolean ok, List<String> tags, Item child,
            List<Item> children, String kind, long size) {
    }

    /** A record whose field is named otherwise in the schema (as {@code @Name} does). */
    public record Renamed(String title) {
    }

    /** Not a record: a class with the same properties. */
    public static final class PlainItem {
        public String name() {
            return "plain";
        }
    }

    /** Stands for SmallRye's fetcher: answers what it is asked, marked as its own. */
    private static final class Original implements DataFetcher<Object> {
        @Override
        public Object get(DataFetchingEnvironment environment) {
            return switch (environment.getField().getName()) {
                case "name", "label" -> "original";
                case "kind" -> "LONG";
                case "size" -> 7L;
                default -> null;
            };
        }
    }

    private final GraphQLSchema schema = schema();

    @Test
    void readsPlainScalarsObjectsAndListsOfRecordsLeavingEnumsAndCustomScalarsToTheOriginal() {
        GraphQLCodeRegistry registry = RecordFields.readRecordsDirectly(schema, Original.class::isInstance);
        GraphQLObjectType item = schema.getObjectType("Item");

        for (String plain : List.of("name", "id", "count", "ratio", "ok", "tags", "child", "children")) {
            assertThat(registry.getDataFetcher(FieldCoordinates.coordinates(item, item.getField(plain)),
                    item.getField(plain))).as(plain).isNotInstanceOf(Original.class);
        }
        for (String converted : List.of("kind", "size")) {
            assertThat(registry.getDataFetcher(FieldCoordinates.coordinates(item, item.getField(converted)),
                    item.getField(converted))).as(converted).isInstanceOf(Original.class);
        }
        GraphQLObjectType query = schema.getObjectType("Query");
        FieldCoordinates root = FieldCoordinates.coordinates(query, query.getField("item"));
        assertThat(registry.getDataFetcher(root, query.getField("item"))).as("a fetcher not replaceable")
                .isSameAs(schema.getCodeRegistry().getDataFetcher(root, query.getField("item")));
    }

    @Test
    void answersFromTheRecordsAccessors() {
        ExecutionResult result = execute("{ item { name id count ratio ok tags kind size"
                + " child { name } children { name count } } }");

        assertThat(result.getErrors()).isEmpty();
        assertThat(result.<Map<String, Object>>getData().get("item")).isEqualTo(Map.of(
                "name", "parent", "id", "42", "count", 3, "ratio", 0.5, "ok", true, "tags", List.of("a", "b"),
                "kind", "LONG", "size", 7L, "child", Map.of("name", "child"),
                "children", List.of(Map.of("name", "first", "count", 1), Map.of("name", "second", "count", 2))));
    }

    @Test
    void leavesSourcesThatAreNotRecordsOrLackTheComponentToTheOriginal() {
        ExecutionResult result = execute("{ plain { name } renamed { label } }");

        assertThat(result.getErrors()).isEmpty();
        assertThat(result.<Map<String, Object>>getData()).isEqualTo(Map.of(
                "plain", Map.of("name", "original"), "renamed", Map.of("label", "original")));
    }

    private ExecutionResult execute(String query) {
        GraphQLSchema replaced = schema.transform(builder -> builder.codeRegistry(
                RecordFields.readRecordsDirectly(schema, Original.class::isInstance)));
        return GraphQL.newGraphQL(replaced).build().execute(query);
    }

    private static GraphQLSchema schema() {
        Item child = new Item("child", "2", 0, 0, false, List.of(), null, List.of(), "SHORT", 0);
        Item parent = new Item("parent", "42", 3, 0.5, true, List.of("a", "b"), child, List.of(
                new Item("first", "3", 1, 0, false, List.of(), null, List.of(), "SHORT", 0),
                new Item("second", "4", 2, 0, false, List.of(), null, List.of(), "SHORT", 0)), "SHORT", 1);
        Original original = new Original();
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type.dataFetcher("item", environment -> parent)
                        .dataFetcher("plain", environment -> new PlainItem())
                        .dataFetcher("renamed", environment -> new Renamed("title")))
                .type("Item", type -> type.defaultDataFetcher(original))
                .type("Renamed", type -> type.defaultDataFetcher(original))
                .scalar(GraphQLScalarType.newScalar().name("Long").coercing(new Coercing<Long, Long>() {
                    @Override
                    public Long serialize(Object value) {
                        return (Long) value;
                    }
                }).build())
                .build();
        return new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL), wiring);
    }
}
