package dev.videobackend.infra.quarkus;

import dev.videobackend.infra.postgres.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real PostgreSQL server: embedded binaries, or the existing server named by
 * {@value PostgresServer#EXISTING_URL_VARIABLE}. Configures both the reactive client and the JDBC URL that Flyway
 * migrates through. Init argument {@code database} names the database (default {@code app}).
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private String database = "app";
    private PostgresServer server;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        server = PostgresServer.startOrConnect(null, database, false);
        return Map.of(
                "quarkus.datasource.reactive.url", server.reactiveUrl(),
                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                "quarkus.datasource.username", server.user(),
                "quarkus.datasource.password", server.password());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
