package dev.videobackend.infra.media;

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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The tests' media tools, independent of the services' code: {@link #probe} and {@link #packets} say what
 * {@code ffprobe} would of a file, and {@link #generate} makes a file as an {@code ffmpeg} command line would, both
 * in this process through the FFmpeg libraries of the {@code org.bytedeco:ffmpeg} jar. They load libavformat,
 * libavcodec and libavfilter, none of which needs a library from the machine, so a JDK is all the tests need.
 * <p>
 * {@link #ffmpeg()} is the jar's {@code ffmpeg} executable itself, for what must compare with the real command line
 * (the ladder benchmark). It links libavdevice, hence PulseAudio's client library: it runs only where
 * {@code libpulse0} is installed.
 */
public final class FfmpegTools {

    private static final long VERSION_TIMEOUT_SECONDS = 60;

    private static Path directory;
    private static Optional<String> executableProblem;

    private FfmpegTools() {
    }

    /** {@code ffprobe -show_format -show_streams media}: the container and its streams. */
    public static MediaInfo probe(Path media) {
        return MediaProbe.probe(media);
    }

    /**
     * {@code ffprobe -select_streams v:0 -show_packets media} (or {@code a:0}): every packet of the first stream of
     * {@code codecType} ({@code video} or {@code audio}), in file order.
     */
    public static List<MediaInfo.Packet> packets(Path media, String codecType) {
        return MediaProbe.packets(media, codecType);
    }

    /**
     * Writes {@code target} as {@code ffmpeg -y ARGUMENTS target} would, for the part of ffmpeg's options tests use:
     * libavfilter inputs ({@code -f lavfi -i testsrc2=...}, {@code -i sine=...}), {@code -vf}, {@code -af},
     * {@code -c:v}, {@code -c:a}, {@code -pix_fmt}, {@code -s}, {@code -r}, {@code -ar}, {@code -ac}, {@code -t},
     * {@code -frames:v}, {@code -an}, {@code -shortest}, {@code -f}, any encoder or muxer option
     * ({@code -b:v 2M}, {@code -flags +ilme}, {@code -movflags +faststart}, {@code -cpu-used 8}), and a file copied
     * with {@code -c copy}, optionally after {@code -display_rotation:v}. Frames are encoded with the timestamps the
     * filters give them ({@code -fps_mode passthrough}). An option outside that part, or one nothing takes, fails.
     */
    public static Path generate(Path target, String... arguments) {
        MediaWriter.write(FfmpegCommand.parse(List.of(arguments)), target);
        return target;
    }

    /**
     * The jar's {@code ffmpeg} executable, extracted with the libraries beside it (run it with
     * {@code LD_LIBRARY_PATH} set to its directory). Fails, saying what to install, where it cannot start.
     */
    public static Path ffmpeg() {
        Path ffmpeg = toolsDirectory().resolve("ffmpeg");
        executableProblem().ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        return ffmpeg;
    }

    /** Why the {@code ffmpeg} executable cannot start on this machine, if it cannot: typically, no libpulse0. */
    public static synchronized Optional<String> executableProblem() {
        if (executableProblem == null) {
            executableProblem = versionProblem(toolsDirectory().resolve("ffmpeg"));
        }
        return executableProblem;
    }

    private static Optional<String> versionProblem(Path ffmpeg) {
        ProcessBuilder builder = new ProcessBuilder(ffmpeg.toString(), "-version").redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", ffmpeg.getParent().toString());
        try {
            Process process = builder.start();
            String output;
            try (InputStream out = process.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of(ffmpeg + " -version did not finish in " + VERSION_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() == 0) {
                return Optional.empty();
            }
            String problem = ffmpeg + " cannot start: " + output.strip();
            return Optional.of(output.contains("libpulse")
                    ? problem + ". The FFmpeg executables link libavdevice, which needs PulseAudio's client library:"
                            + " install it (apt-get install libpulse0). Only comparisons with the ffmpeg command line"
                            + " (the ladder benchmark) need it; the tests do not."
                    : problem);
        } catch (IOException e) {
            return Optional.of("Could not run " + ffmpeg + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking " + ffmpeg, e);
        }
    }

    /** Extracts the executables and the libraries beside them once per JVM into a directory shared by runs. */
    private static synchronized Path toolsDirectory() {
        if (directory == null) {
            directory = extract();
        }
        return directory;
    }

    private static Path extract() {
        // The LGPL natives, or the GPL ones (classifier and folder with "-gpl"): one of the two is on the class path.
        URL executable = FfmpegTools.class.getClassLoader()
                .getResource("org/bytedeco/ffmpeg/" + Loader.getPlatform() + "/ffmpeg");
        if (executable == null) {
            executable = FfmpegTools.class.getClassLoader()
                    .getResource("org/bytedeco/ffmpeg/" + Loader.getPlatform() + "-gpl/ffmpeg");
        }
        if (executable == null) {
            throw new IllegalStateException("No ffmpeg for " + Loader.getPlatform()
                    + " on the class path: add org.bytedeco:ffmpeg with that platform's classifier");
        }
        try {
            JarURLConnection connection = (JarURLConnection) executable.openConnection();
            connection.setUseCaches(false);
            String executableName = connection.getEntryName();
            String platformFolder = executableName.substring(0, executableName.length() - "ffmpeg".length());
            Path jar = Path.of(connection.getJarFileURL().toURI());
            Path target = Path.of(System.getProperty("java.io.tmpdir"),
                    "ffmpeg-tools-" + jar.getFileName() + "-" + Files.size(jar));
            if (Files.isExecutable(target.resolve("ffmpeg"))) {
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
            throw new IllegalStateException("Cannot locate the jar that holds " + executable, e);
        }
    }

    /** Moves the staged directory into place; when another JVM won the race, keeps its copy. */
    private static void publish(Path staging, Path target) throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
            if (!Files.isExecutable(target.resolve("ffmpeg"))) {
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
