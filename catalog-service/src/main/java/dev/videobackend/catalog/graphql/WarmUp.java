package dev.videobackend.catalog.graphql;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Warms a freshly started replica up before it reports ready. A cold JVM interprets graphql-java's execution,
 * Vert.x and the PostgreSQL client until its JIT has compiled them: on two cores, a replica handed 1,000 reads a
 * second right after start-up fell behind while it compiled and took minutes to clear its backlog
 * (docs/benchmarks.md). So the replica first answers anonymous reads of its own, through its own HTTP listener and
 * as clients send them: browse pages and watch pages as persisted queries over GET, searches for words of sampled
 * titles, channel pages of sampled owners over POST; at least {@code catalog.warm-up.min-requests}, then until the
 * JIT has settled (it compiles less than {@code settled-compile-time} in a second). Readiness stays DOWN meanwhile
 * ({@link WarmUpCheck}) and turns UP once done or at the time limit, whatever the answers: a warm-up delays a
 * replica, it never keeps one out of service.
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    /** The sample: pages of the anonymous listing, at most this many of the largest size the API allows. */
    private static final int SAMPLE_PAGES = 10;
    private static final int SAMPLE_PAGE_SIZE = 100;
    private static final int MAX_WORDS = 1_000;

    private static final String SAMPLE = "query WarmUpSample($after: String) { videos(first: " + SAMPLE_PAGE_SIZE
            + ", after: $after) { edges { node { id title owner } } pageInfo { hasNextPage endCursor } } }";
    private static final String BROWSE = "query WarmUpBrowse { videos(first: 20) { edges { cursor node { id slug"
            + " title status media { hls poster { url width height } } renditions { height width bitrate url } } }"
            + " pageInfo { hasNextPage endCursor } } }";
    private static final String WATCH = "query WarmUpWatch($id: ID!) { video(id: $id) { id slug title description"
            + " category tags status source { width height durationSeconds } media { hls poster { url width height }"
            + " progressive { url width height bitrate } audio { url codecs } }"
            + " renditions { height width codecs bitrate averageBitrate url } } }";
    private static final String SEARCH = "query WarmUpSearch($term: String!) { videos(filter: {search: $term},"
            + " first: 20) { edges { cursor node { id slug title media { poster { url } } } }"
            + " pageInfo { hasNextPage endCursor } } }";
    private static final String CHANNEL = "query WarmUpChannel($owner: String!) { videos(filter: {owner: $owner},"
            + " first: 20) { edges { cursor node { id slug title status createdAt media { poster { url } } } }"
            + " pageInfo { hasNextPage endCursor } } }";

    /** Where the warm-up stands; only {@link #RUNNING} keeps the replica out of service. */
    enum Outcome {
        RUNNING("running"), OFF("off"), DONE("done"), TIME_LIMIT("time limit reached"),
        NOT_STARTED("could not start"), STOPPED("stopped");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    record Progress(Outcome outcome, int minRequests, int answered, int failed, int videosSampled,
            long jitCompileMillis, Optional<String> firstFailure) {
    }

    /** What the reads are about: sampled videos, their owners and the words of their titles. */
    private record Sample(List<String> ids, List<String> owners, Set<String> words) {

        static Sample empty() {
            return new Sample(new ArrayList<>(), new ArrayList<>(), new LinkedHashSet<>());
        }

        void add(JsonObject video) {
            ids.add(video.getString("id"));
            owners.add(video.getString("owner"));
            for (String word : video.getString("title", "").toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (word.length() >= 3 && words.size() < MAX_WORDS) {
                    words.add(word);
                }
            }
        }

        /** A sampled id, or a random one (a watch page of a missing video) when there is none. */
        String anyId() {
            return ids.isEmpty() ? UUID.randomUUID().toString() : any(ids);
        }

        String anyOwner() {
            return owners.isEmpty() ? "nobody" : any(owners);
        }

        private static String any(List<String> values) {
            return values.get(ThreadLocalRandom.current().nextInt(values.size()));
        }
    }

    private final Vertx vertx;
    private final WarmUpConfig config;
    private final AtomicReference<Outcome> outcome;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger lanesLeft = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    /** Filled before the reads start, read-only after. */
    private final Sample sample = Sample.empty();
    private volatile int videosSampled;
    private volatile List<String> vocabulary = List.of();
    private volatile HttpClient client;
    private volatile long startedAtNanos = System.nanoTime();
    /** The JIT's compiler; null without one (a native executable), and then the minimum of reads alone counts. */
    private final CompilationMXBean jit = jitCompiler();
    private final long compileMillisAtStart = compileMillis();
    private volatile boolean jitSettled = jit == null;

    WarmUp(Vertx vertx, WarmUpConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.outcome = new AtomicReference<>(config.minRequests() == 0 ? Outcome.OFF : Outcome.RUNNING);
    }

    Progress progress() {
        return new Progress(outcome.get(), config.minRequests(), answered.get(), failed.get(), videosSampled,
                compileMillis() - compileMillisAtStart, Optional.ofNullable(firstFailure.get()));
    }

    void armTimeLimit(@Observes StartupEvent startup) {
        startedAtNanos = System.nanoTime();
        if (outcome.get() == Outcome.RUNNING) {
            vertx.setTimer(config.timeLimit().toMillis(), fired -> finish(Outcome.TIME_LIMIT));
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        finish(Outcome.STOPPED);
    }

    /**
     * Each of the server's event loops reports its listener started; the first report starts the warm-up. The port
     * is read from the configuration, which holds the one really bound (a random one in tests).
     */
    void start(@ObservesAsync HttpServerStart listening) {
        if (outcome.get() != Outcome.RUNNING || !started.compareAndSet(false, true)) {
            return;
        }
        try {
            String host = listening.options().getHost();
            boolean anyAddress = host == null || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
            int port = ConfigProvider.getConfig().getValue(LaunchMode.current() == LaunchMode.TEST
                    ? "quarkus.http.test-port" : "quarkus.http.port", Integer.class);
            client = vertx.createHttpClient(new HttpClientOptions()
                            .setDefaultHost(anyAddress ? "localhost" : host)
                            .setDefaultPort(port),
                    new PoolOptions().setHttp1MaxSize(config.concurrency()));
        } catch (RuntimeException e) {
            LOG.error("The warm-up could not start; reporting ready without it", e);
            firstFailure.set(String.valueOf(e.getMessage()));
            finish(Outcome.NOT_STARTED);
            return;
        }
        LOG.infof("Warming up before reporting ready: at least %d reads, %d at once, until the JIT settles"
                + " (catalog.warm-up.*)", config.minRequests(), config.concurrency());
        takeSample(null, 1)
                .transform(sampled -> Future.all(register(BROWSE, new JsonObject()),
                        register(WATCH, watchVariables()), register(SEARCH, searchVariables())))
                .onComplete(ignored -> {
                    watchJit();
                    lanesLeft.set(config.concurrency());
                    for (int lane = 0; lane < config.concurrency(); lane++) {
                        nextRead();
                    }
                });
    }

    /** Pages through the anonymous listing; a failure ends the sample where it is, and the reads make do. */
    private Future<Void> takeSample(String after, int page) {
        return post(SAMPLE, new JsonObject().put("after", after)).compose(data -> {
            JsonObject videos = data.getJsonObject("videos");
            videos.getJsonArray("edges").forEach(edge -> sample.add(((JsonObject) edge).getJsonObject("node")));
            videosSampled = sample.ids().size();
            vocabulary = List.copyOf(sample.words());
            JsonObject pageInfo = videos.getJsonObject("pageInfo");
            return pageInfo.getBoolean("hasNextPage") && page < SAMPLE_PAGES && outcome.get() == Outcome.RUNNING
                    ? takeSample(pageInfo.getString("endCursor"), page + 1)
                    : Future.succeededFuture();
        });
    }

    /** Once a second: the JIT has settled when it compiled for less than the configured time in that second. */
    private void watchJit() {
        if (jitSettled) {
            return;
        }
        long settledBelow = config.settledCompileTime().toMillis();
        long[] previous = {compileMillis()};
        vertx.setPeriodic(1_000, timer -> {
            long now = compileMillis();
            if (outcome.get() != Outcome.RUNNING) {
                vertx.cancelTimer(timer);
            } else if (next.get() >= config.minRequests() && now - previous[0] < settledBelow) {
                jitSettled = true;
                vertx.cancelTimer(timer);
            }
            previous[0] = now;
        });
    }

    private void nextRead() {
        int index = next.getAndIncrement();
        if (outcome.get() != Outcome.RUNNING || (index >= config.minRequests() && jitSettled)) {
            if (lanesLeft.decrementAndGet() == 0) {
                finish(Outcome.DONE);
            }
            return;
        }
        read(index).onComplete(result -> {
            if (result.succeeded()) {
                answered.incrementAndGet();
            }
            nextRead();
        });
    }

    private JsonObject watchVariables() {
        return new JsonObject().put("id", sample.anyId());
    }

    /** Two words of sampled titles, as a search box sends them. */
    private JsonObject searchVariables() {
        List<String> words = vocabulary;
        return new JsonObject().put("term", words.isEmpty() ? "video" : Sample.any(words) + " " + Sample.any(words));
    }

    /** The kinds of reads take turns, so that each is compiled whatever the number of reads. */
    private Future<JsonObject> read(int index) {
        return switch (index % 4) {
            case 0 -> get(BROWSE, new JsonObject());
            case 1 -> get(WATCH, watchVariables());
            case 2 -> get(SEARCH, searchVariables());
            default -> post(CHANNEL, new JsonObject().put("owner", sample.anyOwner()));
        };
    }

    /** Sends the document with its hash once, as a client does the first time, so that GETs may carry the hash. */
    private Future<JsonObject> register(String document, JsonObject variables) {
        return send(HttpMethod.POST, GraphQlHttp.PATH, new JsonObject().put("query", document)
                .put("variables", variables).put("extensions", persisted(document)));
    }

    private Future<JsonObject> get(String document, JsonObject variables) {
        return send(HttpMethod.GET, GraphQlHttp.PATH + "?extensions=" + encode(persisted(document).encode())
                + "&variables=" + encode(variables.encode()), null);
    }

    private Future<JsonObject> post(String document, JsonObject variables) {
        return send(HttpMethod.POST, GraphQlHttp.PATH,
                new JsonObject().put("query", document).put("variables", variables));
    }

    /** One request; succeeds with the answer's {@code data} when it is a 200 without errors. */
    private Future<JsonObject> send(HttpMethod method, String uri, JsonObject body) {
        RequestOptions request = new RequestOptions().setMethod(method).setURI(uri)
                .putHeader("Accept", "application/json");
        if (body != null) {
            request.putHeader("Content-Type", "application/json");
        }
        return client.request(request)
                .compose(sent -> body == null ? sent.send() : sent.send(body.toBuffer()))
                .compose(response -> response.body().compose(answer -> {
                    JsonObject json = parse(answer);
                    if (response.statusCode() == 200 && json != null && !json.containsKey("errors")
                            && json.getJsonObject("data") != null) {
                        return Future.succeededFuture(json.getJsonObject("data"));
                    }
                    return Future.failedFuture(new IllegalStateException(method + " " + GraphQlHttp.PATH
                            + " answered " + response.statusCode() + ": " + abbreviate(answer.toString())));
                }))
                .recover(this::failedRead);
    }

    private <T> Future<T> failedRead(Throwable failure) {
        if (outcome.get() != Outcome.RUNNING) {
            return Future.failedFuture(failure);
        }
        failed.incrementAndGet();
        if (firstFailure.compareAndSet(null, String.valueOf(failure.getMessage()))) {
            LOG.warnf("A warm-up read failed (counted, the warm-up goes on): %s", failure.getMessage());
        }
        return Future.failedFuture(failure);
    }

    private void finish(Outcome end) {
        if (!outcome.compareAndSet(Outcome.RUNNING, end)) {
            return;
        }
        long tookMillis = (System.nanoTime() - startedAtNanos) / 1_000_000;
        LOG.infof("Warm-up %s after %d ms: %d reads answered, %d failed, %d videos sampled, %d ms of JIT compilation;"
                + " reporting ready", end.label(), tookMillis, answered.get(), failed.get(), videosSampled,
                compileMillis() - compileMillisAtStart);
        HttpClient used = client;
        if (used != null) {
            used.close();
        }
    }

    private static CompilationMXBean jitCompiler() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        return compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler : null;
    }

    private long compileMillis() {
        return jit == null ? 0 : jit.getTotalCompilationTime();
    }

    private static JsonObject persisted(String document) {
        return new JsonObject().put("persistedQuery",
                new JsonObject().put("version", 1).put("sha256Hash", PersistedQueries.sha256(document)));
    }

    private static JsonObject parse(Buffer answer) {
        try {
            return answer.toJsonObject();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
