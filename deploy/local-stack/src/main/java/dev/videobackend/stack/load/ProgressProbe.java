package dev.videobackend.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The progress path end to end: TranscodeProgress events produced to Kafka exactly as the transcoder sends them
 * (same topic, key, JSON body and CloudEvents binary headers), applied by the catalog, and received by a
 * {@code videoProgress} subscriber over graphql-transport-ws. Sender and subscriber run in this process, so one
 * clock times both ends. Each event carries a distinct percent, which identifies it when the subscriber sees it.
 */
final class ProgressProbe {

    private static final String TOPIC = "video.transcode.events";
    private static final String SUBSCRIPTION = "subscription($id: ID!) { videoProgress(id: $id) { id status"
            + " progress { stage percent } } }";
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** How long to wait, after the last event, for the subscriber to see every event. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Latencies of the events received, and how many were sent. */
    record Result(int sent, int received, double ratePerSecond, Latencies.Summary latency) {
    }

    private final URI catalog;
    private final String token;
    private final String bootstrapServers;

    ProgressProbe(URI catalog, String token, String bootstrapServers) {
        this.catalog = catalog;
        this.token = token;
        this.bootstrapServers = bootstrapServers;
    }

    Result run(UUID videoId, UUID jobId, int eventsPerSecond, Duration duration) {
        int events = (int) Math.min(99_000, eventsPerSecond * duration.toSeconds());
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        Latencies latencies = new Latencies();
        Subscriber subscriber = new Subscriber(sentAt, latencies);
        WebSocket socket = connect(subscriber);
        try (KafkaProducer<String, String> producer = producer()) {
            subscriber.await(socket, videoId);
            long interval = 1_000_000_000L / eventsPerSecond;
            long start = System.nanoTime();
            AtomicReference<Exception> sendFailure = new AtomicReference<>();
            for (int k = 1; k <= events; k++) {
                LoadGenerator.waitUntil(start + (k - 1) * interval);
                // Distinct, increasing and exact to the thousandth: the key that matches a received state to its event.
                long percentMillis = 100_000L * k / (events + 1);
                ProducerRecord<String, String> record = record(videoId, jobId, percentMillis, events);
                sentAt.put(percentMillis, System.nanoTime());
                producer.send(record, (metadata, failure) -> {
                    if (failure != null) {
                        sendFailure.compareAndSet(null, failure);
                    }
                });
            }
            producer.flush();
            if (sendFailure.get() != null) {
                throw new IllegalStateException("Kafka refused a progress event", sendFailure.get());
            }
            try {
                Awaitility.await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(100))
                        .until(() -> subscriber.received() >= events);
            } catch (ConditionTimeoutException e) {
                // Lost or coalesced updates are reported as such, not as a failure of the run.
            }
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        subscriber.failure().ifPresent(failure -> {
            throw new IllegalStateException("The subscription failed: " + failure);
        });
        Latencies.Summary summary;
        synchronized (latencies) {
            summary = Latencies.summarize(List.of(latencies));
        }
        return new Result(events, (int) summary.count(), eventsPerSecond, summary);
    }

    private ProducerRecord<String, String> record(UUID videoId, UUID jobId, long percentMillis, int events) {
        UUID eventId = UUID.randomUUID();
        Instant now = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId.toString());
        body.put("type", "TranscodeProgress");
        body.put("schemaVersion", 1);
        body.put("videoId", videoId.toString());
        body.put("jobId", jobId.toString());
        body.put("occurredAt", now.toString());
        body.put("stage", "ENCODING");
        body.put("percent", percentMillis / 1000.0);
        body.put("framesPerSecond", 90.0);
        body.put("speed", 3.0);
        body.put("etaSeconds", (100_000 - percentMillis) / 1000.0);
        body.put("renditionsDone", 0);
        body.put("renditionsTotal", 3);
        body.put("attempt", 1);
        ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, videoId.toString(), write(body));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", eventId.toString());
        header(record, "ce_type", "dev.videobackend.TranscodeProgress");
        header(record, "ce_source", "/transcoder-service");
        header(record, "ce_subject", videoId.toString());
        header(record, "ce_time", now.toString());
        header(record, "content-type", "application/json");
        return record;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Configured as the transcoder's events channel is: every replica acknowledges, idempotent. */
    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    private WebSocket connect(Subscriber subscriber) {
        URI endpoint = URI.create(catalog.toString().replaceFirst("^http", "ws")).resolve("/graphql");
        try {
            return HttpClient.newHttpClient().newWebSocketBuilder()
                    .subprotocols("graphql-transport-ws")
                    .header("Authorization", "Bearer " + token)
                    .connectTimeout(HANDSHAKE_TIMEOUT)
                    .buildAsync(endpoint, subscriber)
                    .get(HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not open a GraphQL WebSocket to " + endpoint, e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The graphql-transport-ws client: acknowledges the handshake, then times each state that carries a sent event. */
    private static final class Subscriber implements WebSocket.Listener {

        private final Map<Long, Long> sentAt;
        private final Latencies latencies;
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        private final CompletableFuture<Void> firstState = new CompletableFuture<>();
        private final List<String> failures = new ArrayList<>();
        private volatile int received;

        Subscriber(Map<Long, Long> sentAt, Latencies latencies) {
            this.sentAt = sentAt;
            this.latencies = latencies;
        }

        /** Completes the handshake and subscribes; returns once the video's current state arrived. */
        void await(WebSocket socket, UUID videoId) {
            try {
                socket.sendText(write(Map.of("type", "connection_init", "payload", Map.of())), true);
                acknowledged.get(HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                socket.sendText(write(Map.of("id", "progress", "type", "subscribe", "payload",
                        Map.of("query", SUBSCRIPTION, "variables", Map.of("id", videoId.toString())))), true);
                firstState.get(HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("The videoProgress subscription did not start: " + failure().orElse(
                        e.toString()), e);
            }
        }

        int received() {
            return received;
        }

        synchronized Optional<String> failure() {
            return failures.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", failures));
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                handle(socket, text, now);
            }
            socket.request(1);
            return null;
        }

        private void handle(WebSocket socket, String text, long now) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (IOException e) {
                fail("not JSON: " + text);
                return;
            }
            switch (message.path("type").asText()) {
                case "connection_ack" -> acknowledged.complete(null);
                case "next" -> {
                    JsonNode payload = message.path("payload");
                    if (payload.has("errors")) {
                        fail("errors: " + payload.get("errors"));
                        return;
                    }
                    firstState.complete(null);
                    JsonNode percent = payload.path("data").path("videoProgress").path("progress").path("percent");
                    if (percent.isNumber()) {
                        Long sent = sentAt.remove(Math.round(percent.asDouble() * 1000));
                        if (sent != null) {
                            synchronized (latencies) {
                                latencies.add(now - sent);
                            }
                            received++;
                        }
                    }
                }
                case "ping" -> socket.sendText(write(Map.of("type", "pong")), true);
                case "error", "complete" -> fail(message.toString());
                default -> {
                    // pong and other protocol messages carry no state
                }
            }
        }

        private synchronized void fail(String reason) {
            failures.add(reason);
            firstState.completeExceptionally(new IllegalStateException(reason));
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            fail("WebSocket error: " + error);
        }
    }
}
