package dev.videobackend.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One service of the stack: its packaged Quarkus application in a child JVM, logging to a file. A supervised service
 * that exits on its own is started again after the {@link RestartPolicy}'s back-off, as Kubernetes restarts a
 * crashed container; every restart is told to {@code notices} and written into the service's log.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration HEALTH_POLL = Duration.ofMillis(250);

    private final String name;
    private final ProcessBuilder builder;
    private final Path log;
    private final RestartPolicy policy;
    private final Consumer<String> notices;
    private final ScheduledExecutorService restarter;

    // Guarded by this.
    private Process process;
    private long startedAt;
    private int consecutiveCrashes;
    private int restarts;
    private boolean closed;
    private boolean replacing;

    private ServiceProcess(String name, ProcessBuilder builder, Path log, RestartPolicy policy, Consumer<String> notices) {
        this.name = name;
        this.builder = builder;
        this.log = log;
        this.policy = policy;
        this.notices = notices;
        this.restarter = policy == null ? null : Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name + "-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the service once: when it exits, it stays stopped. */
    public static ServiceProcess start(String name, Path application, List<String> jvmOptions,
            Map<String, String> environment, Path log) {
        return launch(name, application, jvmOptions, environment, log, null, notice -> { });
    }

    /** Starts the service and restarts it after {@code policy}'s back-off whenever it exits, until {@link #close()}. */
    public static ServiceProcess supervise(String name, Path application, List<String> jvmOptions,
            Map<String, String> environment, Path log, RestartPolicy policy, Consumer<String> notices) {
        return launch(name, application, jvmOptions, environment, log, policy, notices);
    }

    private static ServiceProcess launch(String name, Path application, List<String> jvmOptions,
            Map<String, String> environment, Path log, RestartPolicy policy, Consumer<String> notices) {
        if (!Files.isRegularFile(application)) {
            throw new IllegalStateException("No " + name + " application at " + application
                    + ": build it first (./mvnw -DskipTests package)");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(application.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the log directory of " + name, e);
        }
        ServiceProcess service = new ServiceProcess(name, builder, log, policy, notices);
        try {
            service.startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
        return service;
    }

    private synchronized void startProcess() throws IOException {
        Process started = builder.start();
        process = started;
        startedAt = System.nanoTime();
        if (policy != null) {
            started.onExit().thenAccept(this::exited);
        }
    }

    /** A supervised process ended: unless the stack is stopping, start it again after the back-off. */
    private synchronized void exited(Process ended) {
        if (closed || replacing || ended != process) {
            return;
        }
        Duration ran = Duration.ofNanos(System.nanoTime() - startedAt);
        consecutiveCrashes = policy.isStable(ran) ? 1 : consecutiveCrashes + 1;
        Duration delay = policy.delay(consecutiveCrashes);
        tell(name + " (pid " + ended.pid() + ") exited with status " + describe(ended.exitValue()) + " after "
                + ran.truncatedTo(ChronoUnit.SECONDS).toSeconds() + " s; restart " + (restarts + 1)
                + " (crash " + consecutiveCrashes + " in a row) in " + delay.toMillis() + " ms");
        restarter.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restart() {
        if (closed) {
            return;
        }
        restarts++;
        try {
            startProcess();
            tell(name + " restarted (pid " + process.pid() + ", restart " + restarts + ")");
        } catch (IOException | RuntimeException e) {
            // Counts as a crash of its own: the next try waits longer.
            tell(name + " could not be started again: " + e);
            consecutiveCrashes++;
            Duration delay = policy.delay(consecutiveCrashes);
            restarter.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** 137 is 128 + 9: the JVM reports a death by signal as 128 plus its number, as a shell does. */
    private static String describe(int status) {
        return switch (status) {
            case 128 + 9 -> status + " (SIGKILL)";
            case 128 + 15 -> status + " (SIGTERM)";
            case 128 + 6 -> status + " (SIGABRT)";
            case 128 + 11 -> status + " (SIGSEGV)";
            default -> Integer.toString(status);
        };
    }

    private void tell(String notice) {
        notices.accept(notice);
        try {
            Files.writeString(log, "--- " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " local-stack: " + notice
                    + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            notices.accept("(could not write to " + log + ": " + e.getMessage() + ")");
        }
    }

    /**
     * Stops the process (SIGTERM, as Kubernetes does) and starts a fresh one at once, as a new replica: neither a
     * crash nor a restart for the supervisor.
     */
    public void replace() {
        Process old;
        synchronized (this) {
            old = process;
            replacing = true;
        }
        old.destroy();
        try {
            old.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stuck) {
            old.destroyForcibly().onExit().join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not stop " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping " + name, e);
        }
        synchronized (this) {
            replacing = false;
            try {
                startProcess();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start " + name + " again", e);
            }
        }
        tell(name + " replaced (pid " + old.pid() + " stopped, pid " + pid() + " started)");
    }

    /** Waits until {@code healthUrl} answers 200, or fails when the process dies or the time runs out. */
    public void awaitReady(URI healthUrl, Duration timeout) {
        Process awaited = current();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(healthUrl).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!awaited.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + awaited.exitValue() + "; see " + log);
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Connection refused until the HTTP server is up: keep polling until the deadline.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
            pause();
        }
        throw new IllegalStateException(name + " was not ready after " + timeout.toSeconds() + " s; see " + log);
    }

    private static void pause() {
        try {
            Thread.sleep(HEALTH_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while polling", e);
        }
    }

    private synchronized Process current() {
        return process;
    }

    public boolean isAlive() {
        return current().isAlive();
    }

    String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** The running process's id; a restarted service has a new one. */
    public long pid() {
        return current().pid();
    }

    /** How often a supervised service has been started again. */
    public synchronized int restarts() {
        return restarts;
    }

    /**
     * Stops supervising, then asks for a graceful shutdown (SIGTERM), and kills the process and anything it started
     * if that takes too long.
     */
    @Override
    public void close() {
        Process stopping;
        synchronized (this) {
            closed = true;
            stopping = process;
        }
        if (restarter != null) {
            restarter.shutdownNow();
        }
        if (!stopping.isAlive()) {
            return;
        }
        stopping.destroy();
        try {
            if (!stopping.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                stopping.descendants().forEach(ProcessHandle::destroyForcibly);
                stopping.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.destroyForcibly();
        }
    }
}
