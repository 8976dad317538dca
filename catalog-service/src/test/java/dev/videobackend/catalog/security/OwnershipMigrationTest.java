package dev.videobackend.catalog.security;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V5 on a database that already has videos and uploads owned by principal names: run against a fresh database of
 * the test server, migrated to V4, filled as the catalog of then would have, then migrated to the end.
 */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class OwnershipMigrationTest {

    private static final String LEGACY_ISSUER = "https://legacy.example/issuer";

    @Test
    void existingRowsGoToTheSubjectOfTheirNameAtTheConfiguredIssuer() throws SQLException {
        String database = "legacy_" + UUID.randomUUID().toString().replace("-", "");
        Database.update("CREATE DATABASE " + database);
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class)
                .replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        String user = ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class);
        String password = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class).orElse("");

        flyway(url, user, password).target("4").load().migrate();
        UUID video = UUID.randomUUID();
        UUID upload = UUID.randomUUID();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO video (id, slug, title, category, status, owner, created_at, updated_at) "
                    + "VALUES ('" + video + "', 'old-one', 'Old one', 'test', 'AWAITING_UPLOAD', 'carol', now(), now())");
            statement.execute("INSERT INTO resumable_upload (id, video_id, created_by, length, created_at, expires_at) "
                    + "VALUES ('" + upload + "', '" + video + "', 'carol', 10, now(), now() + interval '1 day')");
        }

        flyway(url, user, password).placeholders(Map.of("legacyOwnerIssuer", LEGACY_ISSUER)).load().migrate();

        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            try (ResultSet row = statement.executeQuery("SELECT owner, owner_issuer, owner_subject FROM video")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString("owner")).isEqualTo("carol");
                assertThat(row.getString("owner_issuer")).isEqualTo(LEGACY_ISSUER);
                assertThat(row.getString("owner_subject")).isEqualTo("carol");
            }
            try (ResultSet row = statement.executeQuery(
                    "SELECT created_by_issuer, created_by_subject FROM resumable_upload")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString("created_by_issuer")).isEqualTo(LEGACY_ISSUER);
                assertThat(row.getString("created_by_subject")).isEqualTo("carol");
            }
            // The remapping docs/api.md gives, for providers whose subject is not the user name.
            statement.executeUpdate("UPDATE video SET owner_subject = 'f3a1-carol-uuid' WHERE owner_subject = 'carol' "
                    + "AND owner_issuer = '" + LEGACY_ISSUER + "'");
            try (ResultSet row = statement.executeQuery("SELECT owner_subject FROM video")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("f3a1-carol-uuid");
            }
        } finally {
            Database.update("DROP DATABASE " + database + " WITH (FORCE)");
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url, String user, String password) {
        return Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration");
    }
}
