package dev.videobackend.catalog;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The catalog's packages depend on each other one way only, from features down to what they are built on:
 * <pre>
 *   upload, delivery          what clients call for files
 *   video                     the catalog itself: commands, queries, events applied, GraphQL
 *   graphql, transaction      GraphQL limits; one transaction and what its commit starts
 *   security, media, events   access rules; stored files; the event contract and the outbox
 *   vertx, error              running reactive work from workers; refusals
 * </pre>
 */
class PackageDependenciesTest {

    private static final JavaClasses CATALOG = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.videobackend.catalog");

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("dev.videobackend.catalog.(*)..").should().beFreeOfCycles().check(CATALOG);
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
                .layer("graphql").definedBy("dev.videobackend.catalog.graphql..")
                .layer("video").definedBy("dev.videobackend.catalog.video..")
                .layer("upload").definedBy("dev.videobackend.catalog.upload..")
                .layer("delivery").definedBy("dev.videobackend.catalog.delivery..")
                .whereLayer("delivery").mayNotBeAccessedByAnyLayer()
                .whereLayer("upload").mayNotBeAccessedByAnyLayer()
                .whereLayer("video").mayOnlyBeAccessedByLayers("upload", "delivery")
                .whereLayer("graphql").mayOnlyBeAccessedByLayers("video")
                .whereLayer("transaction").mayOnlyBeAccessedByLayers("video", "upload")
                .whereLayer("security").mayOnlyBeAccessedByLayers("graphql", "video", "upload", "delivery")
                .whereLayer("media").mayOnlyBeAccessedByLayers("transaction", "video", "upload", "delivery")
                .whereLayer("events").mayOnlyBeAccessedByLayers("transaction", "video")
                .whereLayer("vertx").mayOnlyBeAccessedByLayers("events", "media", "transaction", "video", "upload")
                .check(CATALOG);
    }
}
