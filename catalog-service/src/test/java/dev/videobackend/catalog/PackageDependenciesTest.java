package dev.videobackend.catalog;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The catalog's packages depend on each other one way only, from what clients call down to what it is built on:
 * <pre>
 *   metrics                              gauges read from the database
 *   graphql, upload, delivery, console   what clients call: the GraphQL API, files, the web console
 *   video.query                          the read side: projections, queries, the cache, the progress feed
 *   video                                the write side: commands, events applied, the change feed
 *   transaction                          one transaction and what its commit starts
 *   security, media, events              access rules; stored files; the event contract and the outbox
 *   vertx, error                         running reactive work from workers; refusals
 * </pre>
 * The read side sits on the write side's model (statuses, the change feed), never the other way round.
 */
class PackageDependenciesTest {

    private static final JavaClasses CATALOG = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.videobackend.catalog");

    @Test
    void noTwoPackagesDependOnEachOther() {
        // (**): every package its own slice, so video and video.query are told apart.
        slices().matching("dev.videobackend.catalog.(**)").should().beFreeOfCycles().check(CATALOG);
    }

    @Test
    void eachPackageUsesOnlyThoseBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("error").definedBy("dev.videobackend.catalog.error..")
                .layer("vertx").definedBy("dev.videobackend.catalog.vertx..")
                .layer("events").definedBy("dev.videobackend.catalog.events..")
                .layer("media").definedBy("dev.videobackend.catalog.media..")
                .layer("security").definedBy("dev.videobackend.catalog.security..")
                .layer("transaction").definedBy("dev.videobackend.catalog.transaction..")
                .layer("video").definedBy("dev.videobackend.catalog.video")
                .layer("query").definedBy("dev.videobackend.catalog.video.query..")
                .layer("graphql").definedBy("dev.videobackend.catalog.graphql..")
                .layer("upload").definedBy("dev.videobackend.catalog.upload..")
                .layer("delivery").definedBy("dev.videobackend.catalog.delivery..")
                .layer("console").definedBy("dev.videobackend.catalog.console..")
                .layer("metrics").definedBy("dev.videobackend.catalog.metrics..")
                .whereLayer("metrics").mayNotBeAccessedByAnyLayer()
                .whereLayer("console").mayNotBeAccessedByAnyLayer()
                .whereLayer("delivery").mayNotBeAccessedByAnyLayer()
                .whereLayer("upload").mayNotBeAccessedByAnyLayer()
                .whereLayer("graphql").mayNotBeAccessedByAnyLayer()
                .whereLayer("query").mayOnlyBeAccessedByLayers("graphql")
                .whereLayer("video").mayOnlyBeAccessedByLayers("query", "graphql", "upload", "delivery", "metrics")
                .whereLayer("transaction").mayOnlyBeAccessedByLayers("video", "upload")
                .whereLayer("security").mayOnlyBeAccessedByLayers("query", "video", "graphql", "upload", "delivery")
                .whereLayer("media").mayOnlyBeAccessedByLayers("transaction", "query", "video", "upload", "delivery",
                        "console")
                .whereLayer("events").mayOnlyBeAccessedByLayers("transaction", "video")
                .whereLayer("vertx").mayOnlyBeAccessedByLayers("events", "media", "transaction", "video", "upload")
                .check(CATALOG);
    }
}
