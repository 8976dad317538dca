package dev.videobackend.transcoder.memory;

import org.bytedeco.javacpp.Pointer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What the process holds outside the Java heap, as JavaCPP sees it, and its open file descriptors: the figures
 * that show whether jobs leak native memory or files.
 *
 * @param javacppTotalBytes       memory JavaCPP allocated itself and has not freed yet (FFmpeg's own buffers are
 *                                not counted here)
 * @param javacppPhysicalBytes    resident memory of the whole process (heap, FFmpeg and all) less its shared
 *                                file-backed pages (on Linux: resident minus shared of {@code /proc/self/statm})
 * @param javacppMaxBytes         {@code org.bytedeco.javacpp.maxBytes}: the limit on {@code javacppTotalBytes}
 * @param javacppMaxPhysicalBytes {@code org.bytedeco.javacpp.maxPhysicalBytes}: the limit on
 *                                {@code javacppPhysicalBytes}
 * @param openFileDescriptors     entries of {@code /proc/self/fd}; empty where there is no {@code /proc}
 */
public record NativeMemory(long javacppTotalBytes, long javacppPhysicalBytes, long javacppMaxBytes,
        long javacppMaxPhysicalBytes, OptionalLong openFileDescriptors) {

    private static final Path OPEN_FILE_DESCRIPTORS = Path.of("/proc/self/fd");

    public static NativeMemory now() {
        return new NativeMemory(Pointer.totalBytes(), Pointer.physicalBytes(), Pointer.maxBytes(),
                Pointer.maxPhysicalBytes(), countOpenFileDescriptors());
    }

    /** One line for the log; JavaCPP's own total is small (it holds little between jobs), so it stays in bytes. */
    public String summary() {
        return String.format("JavaCPP total %d bytes (max %d MiB), physical %d MiB (max %d MiB), %s open file descriptors",
                javacppTotalBytes, javacppMaxBytes >> 20, javacppPhysicalBytes >> 20,
                javacppMaxPhysicalBytes >> 20,
                openFileDescriptors.isPresent() ? String.valueOf(openFileDescriptors.getAsLong()) : "unknown");
    }

    private static OptionalLong countOpenFileDescriptors() {
        if (!Files.isDirectory(OPEN_FILE_DESCRIPTORS)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> descriptors = Files.list(OPEN_FILE_DESCRIPTORS)) {
            // The listing itself holds one descriptor while it runs; it is not the process's.
            return OptionalLong.of(descriptors.count() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + OPEN_FILE_DESCRIPTORS, e);
        }
    }
}
