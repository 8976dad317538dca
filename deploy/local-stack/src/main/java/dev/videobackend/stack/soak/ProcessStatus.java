package dev.videobackend.stack.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Another process's memory, threads and files, as the kernel reports them in {@code /proc/<pid>/}.
 *
 * @param residentKib     {@code VmRSS}: resident memory now
 * @param peakResidentKib {@code VmHWM}: the most resident memory since the process started
 * @param threads         {@code Threads}
 * @param openFiles       entries of {@code /proc/<pid>/fd}
 */
public record ProcessStatus(long residentKib, long peakResidentKib, long threads, long openFiles) {

    public static ProcessStatus of(long pid) {
        Path process = Path.of("/proc", Long.toString(pid));
        try (Stream<Path> descriptors = Files.list(process.resolve("fd"))) {
            List<String> status = Files.readAllLines(process.resolve("status"));
            return new ProcessStatus(field(status, "VmRSS"), field(status, "VmHWM"), field(status, "Threads"),
                    descriptors.count());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the status of process " + pid + " (Linux only)", e);
        }
    }

    /** The number in a line such as {@code VmRSS:	  123456 kB}. */
    private static long field(List<String> status, String name) {
        return status.stream()
                .filter(line -> line.startsWith(name + ":"))
                .map(line -> line.substring(name.length() + 1).replace("kB", "").trim())
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No " + name + " in /proc/<pid>/status"));
    }
}
