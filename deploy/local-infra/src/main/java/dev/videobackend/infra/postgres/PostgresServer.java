package dev.videobackend.infra.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A PostgreSQL server for the tests and the local stack: real PostgreSQL binaries started from a Maven artifact,
 * or an existing server when {@value #EXISTING_URL_VARIABLE} names one.
 */
public final class PostgresServer implements AutoCloseable {

    /** JDBC URL of an existing server to use instead of starting one, e.g. {@code jdbc:postgresql://db:5432/catalog}. */
    public static final String EXISTING_URL_VARIABLE = "VIDEO_POSTGRES_URL";
    public static final String EXISTING_USER_VARIABLE = "VIDEO_POSTGRES_USER";
    public static final String EXISTING_PASSWORD_VARIABLE = "VIDEO_POSTGRES_PASSWORD";

    private static final String EMBEDDED_SUPERUSER = "postgres";

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;

    private PostgresServer(EmbeddedPostgres embedded, String host, int port, String database, String user,
            String password) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /**
     * Uses the server named by the environment, or starts an embedded one.
     *
     * @param dataDirectory where the embedded server keeps its data, kept across restarts; {@code null} for a
     *                      throw-away directory deleted on close
     * @param database      database to create (when missing) and connect to on the embedded server
     * @param durable       {@code false} turns off fsync: fine for tests, wrong for data you want to keep
     */
    public static PostgresServer startOrConnect(Path dataDirectory, String database, boolean durable) {
        return startOrConnect(System.getenv(), dataDirectory, database, durable);
    }

    static PostgresServer startOrConnect(Map<String, String> environment, Path dataDirectory, String database,
            boolean durable) {
        String existingUrl = environment.get(EXISTING_URL_VARIABLE);
        if (existingUrl != null && !existingUrl.isBlank()) {
            return connect(existingUrl, environment.getOrDefault(EXISTING_USER_VARIABLE, EMBEDDED_SUPERUSER),
                    environment.getOrDefault(EXISTING_PASSWORD_VARIABLE, ""));
        }
        return startEmbedded(dataDirectory, database, durable);
    }

    /** An existing server; {@link #close()} leaves it running. */
    public static PostgresServer connect(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(
                    EXISTING_URL_VARIABLE + " must look like jdbc:postgresql://host:port/database, got " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String path = uri.getPath();
        if (uri.getHost() == null || path == null || path.length() < 2) {
            throw new IllegalArgumentException(EXISTING_URL_VARIABLE + " names no host or database: " + jdbcUrl);
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        return new PostgresServer(null, uri.getHost(), port, path.substring(1), user, password);
    }

    /** Starts real PostgreSQL binaries on a free port. */
    public static PostgresServer startEmbedded(Path dataDirectory, String database, boolean durable) {
        return startEmbedded(dataDirectory, database, durable, 0);
    }

    /**
     * Starts real PostgreSQL binaries on {@code port} (0: a free one); fault tests start a stopped server again on
     * its data directory and port, so that its clients find it where it was.
     */
    public static PostgresServer startEmbedded(Path dataDirectory, String database, boolean durable, int port) {
        Objects.requireNonNull(database, "database");
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    // Room for the catalog's working set (100,000 videos with renditions take about 300 MB): at the
                    // default 128 MB a quarter of a search's page reads went to the kernel. Memory is taken as used.
                    .setServerConfig("shared_buffers", "512MB");
            if (port != 0) {
                builder.setPort(port);
            }
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (!durable) {
                builder.setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
            }
            EmbeddedPostgres postgres = builder.start();
            PostgresServer server = new PostgresServer(postgres, "localhost", postgres.getPort(), database,
                    EMBEDDED_SUPERUSER, "");
            server.createDatabaseIfMissing();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                // A database name cannot be a bind parameter; quote it as an identifier.
                create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database, e);
        }
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    /** The URL form the Vert.x reactive PostgreSQL client takes. */
    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    private String jdbcUrl(String databaseName) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + databaseName;
    }

    /** Stops the embedded server; an existing server is left alone. */
    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
        }
    }

    @Override
    public String toString() {
        return (isEmbedded() ? "embedded " : "existing ") + "PostgreSQL at " + jdbcUrl();
    }
}
