package dev.videobackend.catalog.graphql;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnmodifiedType;
import graphql.schema.LightDataFetcher;
import io.smallrye.graphql.execution.datafetcher.FieldDataFetcher;
import io.smallrye.graphql.spi.EventingService;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Fields of records read by their accessors, without SmallRye GraphQL's per-field machinery. SmallRye answers every
 * field of an object type with its own fetcher, which first fills its request context for that field, the
 * field's selection set included, as JSON: a fifth of the catalog's CPU for a search page in a JFR profile, for 20
 * videos of a few fields each. graphql-java reads a field through a {@link LightDataFetcher} without even building
 * its fetching environment. So before the schema is built, every field SmallRye would only read (a String, ID, Int,
 * Float or Boolean, an object, or a list of those: nothing to format, no enum or custom scalar to convert) gets a
 * fetcher that calls the record's accessor of that name. A source that is not a record, or a record without that
 * component (a field renamed with {@code @Name}), still goes to SmallRye's fetcher. No resolver of ours reads
 * SmallRye's context of a nested field; the operations (root fields, {@code @Source} fields) keep SmallRye's
 * fetchers. Loaded by SmallRye from {@code META-INF/services}, like {@link AnswerEvents}.
 */
public class RecordFields implements EventingService {

    private static final Set<String> PLAIN_SCALARS = Set.of("String", "ID", "Int", "Float", "Boolean");

    /** Always on: what it replaces answers the same. */
    @Override
    public String getConfigKey() {
        return null;
    }

    @Override
    public GraphQLSchema.Builder beforeSchemaBuild(GraphQLSchema.Builder builder) {
        // The builder has no getter for the code registry SmallRye gave it: build once to read it.
        return builder.codeRegistry(readRecordsDirectly(builder.build(), FieldDataFetcher.class::isInstance));
    }

    /** The schema's code registry with each plain field whose fetcher is {@code replaceable} read as above. */
    static GraphQLCodeRegistry readRecordsDirectly(GraphQLSchema schema, Predicate<DataFetcher<?>> replaceable) {
        GraphQLCodeRegistry registry = schema.getCodeRegistry();
        return registry.transform(replaced -> schema.getAllTypesAsList().stream()
                .filter(type -> type instanceof GraphQLObjectType && !type.getName().startsWith("__"))
                .map(GraphQLObjectType.class::cast)
                .forEach(type -> {
                    for (GraphQLFieldDefinition field : type.getFieldDefinitions()) {
                        FieldCoordinates coordinates = FieldCoordinates.coordinates(type, field);
                        DataFetcher<?> current = registry.getDataFetcher(coordinates, field);
                        if (readAsIs(field) && replaceable.test(current)) {
                            replaced.dataFetcher(coordinates, new ComponentFetcher(field.getName(), current));
                        }
                    }
                }));
    }

    private static boolean readAsIs(GraphQLFieldDefinition field) {
        GraphQLUnmodifiedType type = GraphQLTypeUtil.unwrapAll(field.getType());
        return type instanceof GraphQLObjectType
                || type instanceof GraphQLScalarType scalar && PLAIN_SCALARS.contains(scalar.getName());
    }

    /** Calls the source record's accessor named like the field; any other source goes to {@code fallback}. */
    private static final class ComponentFetcher implements LightDataFetcher<Object> {

        private static final MethodType OBJECT_TO_OBJECT = MethodType.methodType(Object.class, Object.class);

        private final String name;
        private final DataFetcher<?> fallback;
        private final ClassValue<Optional<MethodHandle>> accessors = new ClassValue<>() {
            @Override
            protected Optional<MethodHandle> computeValue(Class<?> type) {
                return accessor(type);
            }
        };

        ComponentFetcher(String name, DataFetcher<?> fallback) {
            this.name = name;
            this.fallback = fallback;
        }

        @Override
        public Object get(GraphQLFieldDefinition field, Object source,
                Supplier<DataFetchingEnvironment> environment) throws Exception {
            Optional<MethodHandle> accessor = accessors.get(source.getClass());
            if (accessor.isEmpty()) {
                return fallback.get(environment.get());
            }
            try {
                return (Object) accessor.get().invokeExact(source);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("Reading " + name + " of " + source.getClass().getName(), e);
            }
        }

        @Override
        public Object get(DataFetchingEnvironment environment) throws Exception {
            return get(environment.getFieldDefinition(), environment.getSource(), () -> environment);
        }

        private Optional<MethodHandle> accessor(Class<?> type) {
            if (!type.isRecord()) {
                return Optional.empty();
            }
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.getName().equals(name)) {
                    try {
                        return Optional.of(MethodHandles.publicLookup().unreflect(component.getAccessor())
                                .asType(OBJECT_TO_OBJECT));
                    } catch (IllegalAccessException notPublic) {
                        // SmallRye's fetcher reads what a public lookup may not.
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        }
    }
}
