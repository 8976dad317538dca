package dev.videobackend.infra.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresServerTest {

    @Test
    void keepsDataAcrossRestartsOfTheSameDirectoryAndPort(@TempDir Path dataDirectory) throws SQLException {
        int port;
        try (PostgresServer server = PostgresServer.startEmbedded(dataDirectory, "catalog", true)) {
            port = server.port();
            assertThat(server.isEmbedded()).isTrue();
            assertThat(server.reactiveUrl()).isEqualTo("postgresql://localhost:" + server.port() + "/catalog");
            try (Connection connection = connect(server); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (name text)");
                statement.execute("INSERT INTO kept VALUES ('first run')");
            }
        }
        // The fault suite's database restart: clients find it again where it was.
        try (PostgresServer restarted = PostgresServer.startEmbedded(dataDirectory, "catalog", true, port);
                Connection connection = connect(restarted);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM kept")) {
            assertThat(restarted.port()).isEqualTo(port);
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("first run");
        }
    }

    @Test
    void usesTheExistingServerTheEnvironmentNames() {
        Map<String, String> environment = Map.of(
                PostgresServer.EXISTING_URL_VARIABLE, "jdbc:postgresql://db.internal:6432/videos",
                PostgresServer.EXISTING_USER_VARIABLE, "catalog",
                PostgresServer.EXISTING_PASSWORD_VARIABLE, "secret");
        try (PostgresServer server = PostgresServer.startOrConnect(environment, null, "ignored", false)) {
            assertThat(server.isEmbedded()).isFalse();
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/videos");
            assertThat(server.reactiveUrl()).isEqualTo("postgresql://db.internal:6432/videos");
            assertThat(server.user()).isEqualTo("catalog");
            assertThat(server.password()).isEqualTo("secret");
        }
    }

    @Test
    void refusesAnExistingUrlThatIsNotPostgres() {
        assertThatThrownBy(() -> PostgresServer.connect("jdbc:mysql://db/videos", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PostgresServer.EXISTING_URL_VARIABLE);
    }

    private static Connection connect(PostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
    }
}
