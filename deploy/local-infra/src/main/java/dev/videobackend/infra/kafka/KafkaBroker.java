package dev.videobackend.infra.kafka;

import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.ThrowAwayDirectory;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Apache Kafka cluster in KRaft mode (one process is both broker and controller), running inside
 * this JVM from the {@code org.apache.kafka:kafka_2.13} artifact; or an existing cluster when
 * {@value #EXISTING_BOOTSTRAP_VARIABLE} names one.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Bootstrap servers of an existing cluster to use instead of starting one. */
    public static final String EXISTING_BOOTSTRAP_VARIABLE = "VIDEO_KAFKA_BOOTSTRAP_SERVERS";

    private static final String NODE_ID = "1";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path throwAwayDirectory;

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers, Path throwAwayDirectory) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.throwAwayDirectory = throwAwayDirectory;
    }

    /**
     * Uses the cluster named by the environment, or starts one in this JVM.
     *
     * @param dataDirectory log directory, kept across restarts; {@code null} for a throw-away one deleted on close
     * @param port          client port, 0 for a free one
     */
    public static KafkaBroker startOrConnect(Path dataDirectory, int port) {
        String existing = System.getenv(EXISTING_BOOTSTRAP_VARIABLE);
        if (existing != null && !existing.isBlank()) {
            return new KafkaBroker(null, existing, null);
        }
        return start(dataDirectory, port);
    }

    /** Starts a broker+controller in this JVM, formatting the log directory the first time. */
    public static KafkaBroker start(Path dataDirectory, int port) {
        try {
            Path throwAway = dataDirectory == null ? Files.createTempDirectory("kafka-") : null;
            Path logDirectory = dataDirectory == null ? throwAway : dataDirectory;
            Files.createDirectories(logDirectory);
            int clientPort = FreePort.orFree(port);
            int controllerPort = FreePort.find();
            Properties config = serverConfig(logDirectory, clientPort, controllerPort);
            if (!Files.exists(logDirectory.resolve("meta.properties"))) {
                format(config);
            }
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
            server.startup();
            return new KafkaBroker(server, "127.0.0.1:" + clientPort, throwAway);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the Kafka log directory", e);
        }
    }

    private static Properties serverConfig(Path logDirectory, int clientPort, int controllerPort) {
        Properties config = new Properties();
        config.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", NODE_ID),
                Map.entry("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", logDirectory.toAbsolutePath().toString()),
                // Topics are created explicitly, as the operator's manifests do in production.
                Map.entry("auto.create.topics.enable", "false"),
                // One node: every internal topic has a single replica, and few partitions so that it starts fast.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0")));
        return config;
    }

    private static void format(Properties config) throws IOException {
        Path configFile = Files.createTempFile("kraft-", ".properties");
        try {
            try (Writer writer = Files.newBufferedWriter(configFile)) {
                config.store(writer, "single-node KRaft cluster");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            String[] arguments = {"format", "--cluster-id", Uuid.randomUuid().toString(), "--config", configFile.toString()};
            int exitCode = StorageTool.execute(arguments, new PrintStream(output, true, StandardCharsets.UTF_8));
            if (exitCode != 0) {
                throw new IllegalStateException("Formatting the Kafka log directory failed with exit code " + exitCode
                        + ": " + output.toString(StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(configFile);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public boolean isEmbedded() {
        return server != null;
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(Collection<TopicSpec> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (TopicSpec topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic.name(), topic.partitions(), (short) 1)))
                            .all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not create the topics in time", e);
        }
    }

    /** Stops the embedded broker and deletes a throw-away log directory; an existing cluster is left alone. */
    @Override
    public void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        if (throwAwayDirectory != null) {
            ThrowAwayDirectory.delete(throwAwayDirectory);
        }
    }

    @Override
    public String toString() {
        return (isEmbedded() ? "embedded " : "existing ") + "Kafka at " + bootstrapServers;
    }
}
