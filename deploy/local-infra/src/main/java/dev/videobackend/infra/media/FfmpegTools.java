package dev.videobackend.infra.media;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The {@code ffprobe} and {@code ffmpeg} executables shipped inside the {@code org.bytedeco:ffmpeg} platform jar:
 * an oracle independent of the services' code, built from the same FFmpeg libraries. They run as child processes;
 * they link {@code libavdevice}, hence need {@code libpulse.so.0} on the machine.
 */
public final class FfmpegTools {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final long TIMEOUT_SECONDS = 120;

    private static Path directory;

    private FfmpegTools() {
    }

    public static Path ffprobe() {
        return toolsDirectory().resolve("ffprobe");
    }

    public static Path ffmpeg() {
        return toolsDirectory().resolve("ffmpeg");
    }

    /** Runs {@code ffprobe} on {@code media} and returns its container and stream description. */
    public static MediaInfo probe(Path media) {
        String json = run(ffprobe(), "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                media.toAbsolutePath().toString());
        try {
            return JSON.readValue(json, MediaInfo.class);
        } catch (IOException e) {
            throw new IllegalStateException("ffprobe printed JSON this class cannot read: " + json, e);
        }
    }

    /** Runs one of the tools and returns what it printed on standard output; fails on a non-zero exit. */
    public static String run(Path tool, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        Collections.addAll(command, arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LD_LIBRARY_PATH", tool.getParent().toString());
        try {
            Path errors = Files.createTempFile("ffmpeg-tool-", ".err");
            try {
                Process process = builder.redirectError(errors.toFile()).start();
                String output;
                try (InputStream stdout = process.getInputStream()) {
                    output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
                }
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(tool.getFileName() + " did not finish in " + TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    String stderr = Files.readString(errors);
                    throw new IllegalStateException(tool.getFileName() + " " + String.join(" ", arguments)
                            + " exited with " + process.exitValue() + ": " + stderr + hint(stderr));
                }
                return output;
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + tool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + tool, e);
        }
    }

    private static String hint(String stderr) {
        return stderr.contains("libpulse.so.0")
                ? " (the FFmpeg executables link libavdevice, which needs PulseAudio's client library:"
                        + " install it, e.g. 'apt-get install libpulse0')"
                : "";
    }

    /** Extracts the executables and the libraries beside them once per JVM into a directory shared by runs. */
    private static synchronized Path toolsDirectory() {
        if (directory == null) {
            directory = extract();
        }
        return directory;
    }

    private static Path extract() {
        String platformFolder = "org/bytedeco/ffmpeg/" + Loader.getPlatform() + "/";
        URL probe = FfmpegTools.class.getClassLoader().getResource(platformFolder + "ffprobe");
        if (probe == null) {
            throw new IllegalStateException("No ffprobe for " + Loader.getPlatform()
                    + " on the class path: add org.bytedeco:ffmpeg with that platform's classifier");
        }
        try {
            JarURLConnection connection = (JarURLConnection) probe.openConnection();
            connection.setUseCaches(false);
            Path jar = Path.of(connection.getJarFileURL().toURI());
            Path target = Path.of(System.getProperty("java.io.tmpdir"),
                    "ffmpeg-tools-" + jar.getFileName() + "-" + Files.size(jar));
            if (Files.isExecutable(target.resolve("ffprobe"))) {
                return target;
            }
            Path staging = Files.createTempDirectory(target.getParent(), "ffmpeg-tools-staging-");
            try (JarFile jarFile = new JarFile(jar.toFile())) {
                for (JarEntry entry : Collections.list(jarFile.entries())) {
                    String name = entry.getName();
                    if (entry.isDirectory() || !name.startsWith(platformFolder) || name.substring(platformFolder.length()).contains("/")) {
                        continue;
                    }
                    Path file = staging.resolve(name.substring(platformFolder.length()));
                    try (InputStream in = jarFile.getInputStream(entry)) {
                        Files.copy(in, file);
                    }
                    file.toFile().setExecutable(true, false);
                }
            }
            publish(staging, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not extract the FFmpeg executables", e);
        } catch (java.net.URISyntaxException | ClassCastException e) {
            throw new IllegalStateException("Cannot locate the jar that holds " + probe, e);
        }
    }

    /** Moves the staged directory into place; when another JVM won the race, keeps its copy. */
    private static void publish(Path staging, Path target) throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
            if (!Files.isExecutable(target.resolve("ffprobe"))) {
                throw e;
            }
            try (Stream<Path> paths = Files.walk(staging)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
