package dev.videobackend.stack.load;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives one scenario over a fixed number of HTTP/1.1 keep-alive connections: one worker thread per connection,
 * each sending its next request when the previous one is answered, for a warm-up that is not recorded and then
 * for the measured time.
 */
final class LoadGenerator {

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

    /** One run's outcome; latencies are of the measured requests, errors included. */
    record Result(String scenario, Mode mode, int ratePerSecond, long requests, long errors,
            Map<String, Long> errorKinds, double seconds, Latencies.Summary latency) {

        double throughput() {
            return requests / seconds;
        }
    }

    private final HttpClient http;
    private final int connections;
    private final Duration warmUp;
    private final Duration measure;

    LoadGenerator(int connections, Duration warmUp, Duration measure) {
        this.connections = connections;
        this.warmUp = warmUp;
        this.measure = measure;
        // HTTP/1.1 explicitly: the default would offer an h2c upgrade. The client keeps each connection alive and
        // reuses it; with one blocking worker per connection there are never more than this many.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    Result run(Scenario scenario, Mode mode, int ratePerSecond) {
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measure.toNanos();
        long interval = 1_000_000_000L / ratePerSecond;
        long slots = (end - start) / interval;
        AtomicLong nextSlot = new AtomicLong();
        LongAdder measuredSlotsSent = new LongAdder();
        LongAdder errors = new LongAdder();
        Map<String, Long> errorKinds = new ConcurrentHashMap<>();
        List<Latencies> recorders = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Latencies recorder = new Latencies();
            recorders.add(recorder);
            Thread worker = new Thread(() -> {
                while (true) {
                    long due;
                    if (mode == Mode.FIXED_RATE) {
                        long slot = nextSlot.getAndIncrement();
                        due = start + slot * interval;
                        if (slot >= slots) {
                            return;
                        }
                        waitUntil(due);
                        if (System.nanoTime() >= end) {
                            // A backlog left at the end is never sent; it is counted below, not waited for.
                            return;
                        }
                        if (due >= measureFrom) {
                            measuredSlotsSent.increment();
                        }
                    } else {
                        due = System.nanoTime();
                        if (due >= end) {
                            return;
                        }
                    }
                    Optional<String> failure = send(scenario);
                    long latency = System.nanoTime() - due;
                    if (due >= measureFrom) {
                        recorder.add(latency);
                        failure.ifPresent(kind -> record(kind, 1, errors, errorKinds));
                    }
                }
            }, "load-" + i);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during the " + scenario.name() + " run", e);
            }
        }
        if (mode == Mode.FIXED_RATE) {
            long measuredSlots = slots - Math.max(0, (measureFrom - start + interval - 1) / interval);
            long neverSent = measuredSlots - measuredSlotsSent.sum();
            if (neverSent > 0) {
                record("due but never sent: every connection was still waiting when the run ended", neverSent,
                        errors, errorKinds);
            }
        }
        Latencies.Summary latency = Latencies.summarize(recorders);
        return new Result(scenario.name(), mode, mode == Mode.FIXED_RATE ? ratePerSecond : 0, latency.count(),
                errors.sum(), Map.copyOf(errorKinds), measure.toNanos() / 1e9, latency);
    }

    private static void record(String kind, long count, LongAdder errors, Map<String, Long> errorKinds) {
        errors.add(count);
        errorKinds.merge(kind.length() > 120 ? kind.substring(0, 120) : kind, count, Long::sum);
    }

    private Optional<String> send(Scenario scenario) {
        try {
            HttpResponse<byte[]> response = http.send(scenario.next(), HttpResponse.BodyHandlers.ofByteArray());
            return scenario.failure(response);
        } catch (HttpTimeoutException e) {
            return Optional.of("timeout after " + Scenario.TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending", e);
        }
    }

    /** Parks until {@code System.nanoTime()} reaches {@code due}; returns at once when it is past. */
    static void waitUntil(long due) {
        long remaining;
        while ((remaining = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }
}
