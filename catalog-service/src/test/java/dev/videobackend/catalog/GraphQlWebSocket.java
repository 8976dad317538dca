package dev.videobackend.catalog;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A graphql-transport-ws client on a real WebSocket, for subscription tests. */
public final class GraphQlWebSocket implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    /**
     * Connects to {@code /graphql} and completes the protocol's handshake. The token goes in the upgrade
     * request's {@code Authorization} header, or (as browsers must) in connection_init's payload.
     */
    public GraphQlWebSocket(URI base, String user, boolean tokenInInitPayload) throws Exception {
        this(base, tokenInInitPayload, user == null ? null : Tokens.of(user));
    }

    /** Connects with the given bearer token ({@code null}: anonymous). */
    public GraphQlWebSocket(URI base, boolean tokenInInitPayload, String token) throws Exception {
        HttpClient client = vertx.createHttpClient();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(base.getHost()).setPort(base.getPort()).setURI("/graphql")
                .setSubProtocols(List.of("graphql-transport-ws"));
        JsonObject initPayload = new JsonObject();
        if (token != null) {
            String bearer = "Bearer " + token;
            if (tokenInInitPayload) {
                initPayload.put("Authorization", bearer);
            } else {
                options.addHeader("Authorization", bearer);
            }
        }
        socket = client.webSocket(options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        socket.textMessageHandler(text -> received.add(new JsonObject(text)));
        send(new JsonObject().put("type", "connection_init").put("payload", initPayload));
        await(message -> "connection_ack".equals(message.getString("type")), Duration.ofSeconds(30));
    }

    public void subscribe(String id, String query, Map<String, Object> variables) {
        send(new JsonObject().put("id", id).put("type", "subscribe")
                .put("payload", new JsonObject().put("query", query).put("variables", new JsonObject(variables))));
    }

    /** Ends the subscription {@code id}, as a client that is no longer interested. */
    public void complete(String id) {
        send(new JsonObject().put("id", id).put("type", "complete"));
    }

    /** The next message matching {@code condition}; the ones before it are skipped. */
    public JsonObject await(Predicate<JsonObject> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonObject message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("No matching message within " + timeout);
            }
            if (condition.test(message)) {
                return message;
            }
        }
    }

    private void send(JsonObject message) {
        socket.writeTextMessage(message.encode());
    }

    @Override
    public void close() {
        socket.close();
        vertx.close();
    }
}
