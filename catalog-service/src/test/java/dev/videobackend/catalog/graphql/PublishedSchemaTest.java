package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.CatalogTestProfile;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema the catalog publishes at {@code /graphql/schema.graphql}, built by graphql-java's own SDL reader, as
 * code generators do: it must be self-contained (every scalar declared), with types clients map without surprise.
 */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class PublishedSchemaTest {

    @Test
    void thePublishedSchemaBuildsWithStandardToolingAndUsesPlainTypes() {
        String sdl = given().when().get("/graphql/schema.graphql").then().statusCode(200).extract().asString();

        TypeDefinitionRegistry registry = new SchemaParser().parse(sdl);
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(registry, RuntimeWiring.MOCKED_WIRING);

        // Counts and versions are Int; bit rates too (at most a few hundred million bits per second).
        assertThat(type(schema, "VideoConnection", "totalCount")).isEqualTo("Int!");
        assertThat(type(schema, "Category", "count")).isEqualTo("Int!");
        assertThat(type(schema, "Video", "version")).isEqualTo("Int!");
        assertThat(type(schema, "Video", "transcodeAttempts")).isEqualTo("Int!");
        assertThat(type(schema, "Rendition", "bitrate")).isEqualTo("Int!");
        assertThat(type(schema, "ProgressiveMp4", "bitrate")).isEqualTo("Int");
        assertThat(GraphQLTypeUtil.simplePrint(((GraphQLFieldsContainer) schema.getMutationType())
                .getFieldDefinition("updateVideo").getArgument("expectedVersion").getType())).isEqualTo("Int!");
        // Sizes can pass 2^31 bytes: a declared scalar, documented in docs/api.md; instants likewise.
        assertThat(type(schema, "VideoSource", "sizeBytes")).isEqualTo("BigInteger!");
        assertThat(type(schema, "Video", "createdAt")).isEqualTo("DateTime!");
        assertThat(sdl).contains("scalar BigInteger", "scalar DateTime");
    }

    private static String type(GraphQLSchema schema, String type, String field) {
        return GraphQLTypeUtil.simplePrint(((GraphQLFieldsContainer) schema.getType(type)).getFieldDefinition(field).getType());
    }
}
