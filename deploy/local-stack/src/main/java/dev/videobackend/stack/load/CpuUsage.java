package dev.videobackend.stack.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * CPU time spent by the parts of the benchmark (the catalog, PostgreSQL, this process: the load generator with the
 * embedded Kafka) and by the whole machine, from {@code /proc}: a run's difference says what a request costs each
 * part, and how much of the machine something else took. Linux only; elsewhere nothing is measured.
 */
final class CpuUsage {

    /** Clock ticks per second of {@code /proc}'s CPU times ({@code USER_HZ}), 100 on every Linux of interest. */
    private static final double TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");

    /** The processes of each part, found again at each sample: PostgreSQL starts a process per connection. */
    private final Map<String, Supplier<Stream<ProcessHandle>>> parts;

    CpuUsage(Map<String, Supplier<Stream<ProcessHandle>>> parts) {
        this.parts = parts;
    }

    /** A process and every process it started. */
    static Supplier<Stream<ProcessHandle>> tree(long pid) {
        return () -> ProcessHandle.of(pid).stream().flatMap(root -> Stream.concat(Stream.of(root), root.descendants()));
    }

    /** A process alone. */
    static Supplier<Stream<ProcessHandle>> alone(long pid) {
        return () -> ProcessHandle.of(pid).stream();
    }

    /** CPU seconds so far, per part and for the whole machine ({@link #MACHINE}), busy time only. */
    Map<String, Double> sample() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        parts.forEach((name, processes) -> seconds.put(name, processes.get()
                .mapToLong(process -> ticks(process.pid())).sum() / TICKS_PER_SECOND));
        machineTicks().ifPresent(ticks -> seconds.put(MACHINE, ticks / TICKS_PER_SECOND));
        return seconds;
    }

    static final String MACHINE = "machine";

    /** What was spent between two samples, per part. */
    static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> spent = new LinkedHashMap<>();
        after.forEach((name, value) -> spent.put(name, value - before.getOrDefault(name, 0.0)));
        return spent;
    }

    /** utime + stime of a process (its threads included); 0 when it has gone. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            // The command name, in parentheses, may contain spaces: the fields are counted after its end.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            // The process ended between listing it and reading it: it costs nothing any more.
            return 0;
        }
    }

    /** All busy time of the machine: every CPU's time less idle and I/O wait. */
    private static Optional<Long> machineTicks() {
        try {
            List<String> lines = Files.readAllLines(PROC.resolve("stat"));
            String[] fields = lines.get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return Optional.of(busy);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
