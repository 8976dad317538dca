package dev.videobackend.stack.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives one scenario over at most {@code connections} HTTP/1.1 keep-alive connections with Vert.x's event-loop
 * client on one thread (cheap per request, so the load generator takes little of the cores it shares with the
 * catalog), for a warm-up that is not recorded and then for the measured time.
 */
final class LoadGenerator implements AutoCloseable {

    /** How requests are paced. */
    enum Mode {
        /** Each connection sends again as soon as it has its answer: the most the catalog can serve. */
        CLOSED_LOOP,
        /**
         * Requests are due at a fixed rate whether or not earlier ones were answered; a request's latency counts
         * from when it was due, so waiting for a free connection (queueing) is measured, not hidden.
         */
        FIXED_RATE
    }

    /**
     * One run's outcome; latencies are of the measured requests, errors included; {@code cpuSeconds}: what each part
     * of the benchmark spent in the measured time (see {@link CpuUsage}).
     */
    record Result(Scenario scenario, Mode mode, int ratePerSecond, long requests, long errors,
            Map<String, Long> errorKinds, double seconds, Latencies.Summary latency, Map<String, Double> cpuSeconds) {

        double throughput() {
            return requests / seconds;
        }

        /** Milliseconds of CPU per answered request spent by the part. */
        double cpuMillisPerRequest(String part) {
            Double spent = cpuSeconds.get(part);
            return spent == null || requests == 0 ? Double.NaN : spent * 1000 / requests;
        }
    }

    private final Vertx vertx;
    private final HttpClient http;
    private final int connections;
    private final Duration warmUp;
    private final Duration measure;
    private final CpuUsage cpu;

    LoadGenerator(URI catalog, int connections, Duration warmUp, Duration measure, CpuUsage cpu) {
        this.connections = connections;
        this.warmUp = warmUp;
        this.measure = measure;
        this.cpu = cpu;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1)
                        .setDefaultHost(catalog.getHost())
                        .setDefaultPort(catalog.getPort())
                        .setKeepAlive(true)
                        .setConnectTimeout((int) Scenario.TIMEOUT.toMillis()),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /** What one run records; touched only by the client's event loop until the run has ended. */
    private static final class Run {
        final Latencies latencies = new Latencies();
        final Map<String, Long> errorKinds = new LinkedHashMap<>();
        long errors;

        void error(String kind, long count) {
            errors += count;
            errorKinds.merge(kind.length() > 120 ? kind.substring(0, 120) : kind, count, Long::sum);
        }
    }

    Result run(Scenario scenario, Mode mode, int ratePerSecond) {
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measure.toNanos();
        Run run = new Run();
        AtomicLong outstanding = new AtomicLong();
        Runnable scheduler = mode == Mode.FIXED_RATE
                ? () -> fixedRate(scenario, run, outstanding, start, measureFrom, end, ratePerSecond)
                : () -> closedLoop(scenario, run, outstanding, measureFrom, end);
        Thread pacer = new Thread(scheduler, "load-pacer");
        pacer.start();
        LoadGenerator.waitUntil(measureFrom);
        Map<String, Double> cpuBefore = cpu.sample();
        join(pacer, scenario);
        awaitAnswers(outstanding);
        Map<String, Double> cpuSpent = CpuUsage.between(cpuBefore, cpu.sample());
        Latencies.Summary latency = Latencies.summarize(List.of(run.latencies));
        return new Result(scenario, mode, mode == Mode.FIXED_RATE ? ratePerSecond : 0, latency.count(), run.errors,
                Map.copyOf(run.errorKinds), measure.toNanos() / 1e9, latency, cpuSpent);
    }

    /** Sends a request every 1/rate second from {@code start} until {@code end}, whatever happened to earlier ones. */
    private void fixedRate(Scenario scenario, Run run, AtomicLong outstanding, long start, long measureFrom,
            long end, int ratePerSecond) {
        long interval = 1_000_000_000L / ratePerSecond;
        for (long slot = 0; ; slot++) {
            long due = start + slot * interval;
            if (due >= end) {
                return;
            }
            waitUntil(due);
            send(scenario, run, outstanding, due, due >= measureFrom, null);
        }
    }

    /** Keeps {@code connections} requests in flight, each sent again as soon as it is answered, until {@code end}. */
    private void closedLoop(Scenario scenario, Run run, AtomicLong outstanding, long measureFrom, long end) {
        CountDownLatch stopped = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                long now = System.nanoTime();
                if (now >= end) {
                    stopped.countDown();
                    return;
                }
                send(scenario, run, outstanding, now, now >= measureFrom, next[0]);
            };
            vertx.runOnContext(ignored -> next[0].run());
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(Scenario scenario, Run run, AtomicLong outstanding, long since, boolean measured,
            Runnable then) {
        Scenario.Request request = scenario.next();
        outstanding.incrementAndGet();
        RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri())
                .setHeaders(request.headers()).setIdleTimeout(Scenario.TIMEOUT.toMillis())
                .setConnectTimeout(Scenario.TIMEOUT.toMillis());
        http.request(options)
                .compose(sent -> (request.body() == null ? sent.send() : sent.send(request.body()))
                        .compose(response -> response.body().map(body -> scenario.failure(response.statusCode(), body))))
                .recover(failure -> Future.succeededFuture(Optional.of(describe(failure))))
                .onComplete(outcome -> {
                    long latency = System.nanoTime() - since;
                    if (measured) {
                        run.latencies.add(latency);
                        outcome.result().ifPresent(kind -> run.error(kind, 1));
                    }
                    outstanding.decrementAndGet();
                    if (then != null) {
                        then.run();
                    }
                });
    }

    private static String describe(Throwable failure) {
        String name = failure.getClass().getSimpleName();
        return name.contains("Timeout") || String.valueOf(failure.getMessage()).contains("timeout")
                ? "timeout after " + Scenario.TIMEOUT.toSeconds() + " s" : name + ": " + failure.getMessage();
    }

    /**
     * Waits for what is still on its way at the end: it is answered or times out (waiting for a connection, then
     * for the answer), and belongs to the run either way.
     */
    private static void awaitAnswers(AtomicLong outstanding) {
        long deadline = System.nanoTime() + Scenario.TIMEOUT.multipliedBy(3).toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void join(Thread pacer, Scenario scenario) {
        try {
            pacer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during the " + scenario.name() + " run", e);
        }
    }

    /** Parks until {@code System.nanoTime()} reaches {@code due}; returns at once when it is past. */
    static void waitUntil(long due) {
        long remaining;
        while ((remaining = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    @Override
    public void close() {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
