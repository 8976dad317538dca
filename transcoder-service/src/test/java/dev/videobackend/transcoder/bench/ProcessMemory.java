package dev.videobackend.transcoder.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** This process's resident memory, or another's, from {@code /proc/<pid>/status} (Linux). */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {
    }

    /**
     * Resets the kernel's peak resident set size ({@code VmHWM}) to the current one; {@code false} where the
     * kernel or a sandbox does not allow it, in which case the caller samples instead.
     */
    static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** {@code VmHWM}: the peak resident set size since the process started or {@link #resetPeak()}. */
    static long peakBytes() {
        return statusKiB(STATUS, "VmHWM:") * 1024;
    }

    /** {@code VmRSS}: the resident set size now. */
    static long residentBytes() {
        return statusKiB(STATUS, "VmRSS:") * 1024;
    }

    /** {@code VmHWM} of another process, running: the peak resident set size since it started. */
    public static long peakBytesOf(ProcessHandle process) {
        return statusKiB(Path.of("/proc", Long.toString(process.pid()), "status"), "VmHWM:") * 1024;
    }

    private static long statusKiB(Path status, String field) {
        try {
            return kibibytes(Files.readAllLines(status), field);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + status, e);
        }
    }

    /** A field such as {@code VmHWM:} of a {@code /proc/<pid>/status} file, in KiB. */
    static long kibibytes(List<String> status, String field) {
        for (String line : status) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
            }
        }
        throw new IllegalStateException("The process status has no " + field);
    }

    /** A daemon thread that samples the resident set size, and runs another sample alongside, until stopped. */
    static final class Sampler {

        private final AtomicLong peak = new AtomicLong(residentBytes());
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(long intervalMillis, Runnable alongside) {
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(residentBytes(), Math::max);
                    alongside.run();
                    try {
                        Thread.sleep(intervalMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            peak.accumulateAndGet(residentBytes(), Math::max);
        }

        /** The highest resident set size seen. */
        long peakBytes() {
            return peak.get();
        }
    }
}
