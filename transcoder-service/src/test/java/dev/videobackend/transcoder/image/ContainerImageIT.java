package dev.videobackend.transcoder.image;

import dev.videobackend.infra.FreePort;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of the container images without a container engine, after {@code package}: every file the
 * Dockerfiles copy exists and is let through by {@code .dockerignore}, and the JVM image's library flags make the
 * packaged service load FFmpeg from {@code target/natives/} without writing anything (its cache directory is made
 * unusable), and without libavdevice, the only library that needs PulseAudio.
 */
class ContainerImageIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path DOCKER = MODULE.resolve("src/main/docker");
    private static final Path NATIVES = MODULE.resolve("target/natives");
    private static final Path APPLICATION = Path.of(System.getProperty("transcoder.app",
            "target/quarkus-app/quarkus-run.jar"));
    private static final Pattern COPY = Pattern.compile("^COPY\\s+(.*)$", Pattern.MULTILINE);
    private static final Pattern JDK_JAVA_OPTIONS = Pattern.compile("^ENV JDK_JAVA_OPTIONS=\"([^\"]*)\"$",
            Pattern.MULTILINE);
    private static final Pattern LOADED = Pattern.compile("^Debug: Loading (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path scratch;

    @Test
    void everyFileTheDockerfilesCopyIsPackagedAndNotIgnored() throws IOException {
        List<String> ignore = Files.readAllLines(MODULE.resolve(".dockerignore"));
        for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            List<String> sources = copySources(Files.readString(DOCKER.resolve(dockerfile)));
            assertThat(sources).as(dockerfile).isNotEmpty();
            for (String source : sources) {
                assertThat(ignore).as(".dockerignore lets %s through", source).anyMatch(line -> line.startsWith("!")
                        && (source.equals(line.substring(1)) || line.endsWith("/*")
                                && source.startsWith(line.substring(1, line.length() - 1))));
                if (!source.endsWith("-runner")) {
                    assertThat(matches(source)).as("%s in %s, after package", source, dockerfile).isNotEmpty();
                }
            }
        }
    }

    @Test
    void theImagesLibraryFlagsLoadFfmpegFromTheUnpackedNativesWithoutWritingAnything() throws Exception {
        try (Stream<Path> natives = Files.list(NATIVES)) {
            assertThat(natives.map(path -> path.getFileName().toString()))
                    .contains("libavcodec.so.62", "libjnijavacpp.so")
                    .noneMatch(name -> name.contains("avdevice"));
        }
        Matcher options = JDK_JAVA_OPTIONS.matcher(Files.readString(DOCKER.resolve("Dockerfile.jvm")));
        assertThat(options.find()).as("JDK_JAVA_OPTIONS in Dockerfile.jvm").isTrue();
        // A cache directory under a regular file cannot be created, even by root: any extraction would fail.
        Path unusable = Files.createFile(scratch.resolve("not-a-directory")).resolve("javacpp");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        Arrays.stream(options.group(1).split(" "))
                .map(option -> option.replace("/deployments/natives", NATIVES.toString())
                        .replace("/tmp/javacpp", unusable.toString()))
                .forEach(command::add);
        command.addAll(List.of("-Dorg.bytedeco.javacpp.logger.debug=true", "-jar",
                APPLICATION.toAbsolutePath().toString()));
        Path log = scratch.resolve("transcoder.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Kafka points nowhere: the libraries load at start-up whether or not the broker is there.
        builder.environment().putAll(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:" + FreePort.find(),
                "TRANSCODER_MEDIA_ROOT", scratch.resolve("media").toString(),
                "QUARKUS_HTTP_PORT", Integer.toString(FreePort.find())));
        Process transcoder = builder.start();
        try {
            Awaitility.await("FFmpeg loaded, see " + log).atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        assertThat(transcoder.isAlive()).as("transcoder alive, see %s", log).isTrue();
                        return Files.readString(log).matches("(?s).*FFmpeg \\S+ loaded.*");
                    });
        } finally {
            transcoder.destroy();
            assertThat(transcoder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        List<String> loaded = LOADED.matcher(Files.readString(log)).results().map(match -> match.group(1)).toList();
        assertThat(loaded).isNotEmpty().allMatch(path -> path.startsWith(NATIVES + "/"));
        assertThat(unusable.getParent()).isRegularFile();
    }

    /** The sources of every {@code COPY} without {@code --from}: all its words but options and the destination. */
    private static List<String> copySources(String dockerfile) {
        List<String> sources = new ArrayList<>();
        Matcher copy = COPY.matcher(dockerfile);
        while (copy.find()) {
            List<String> words = Arrays.stream(copy.group(1).trim().split("\\s+")).toList();
            assertThat(words).noneMatch(word -> word.startsWith("--from"));
            List<String> operands = words.stream().filter(word -> !word.startsWith("--")).toList();
            sources.addAll(operands.subList(0, operands.size() - 1));
        }
        return sources;
    }

    private static List<Path> matches(String glob) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.replaceAll("/$", ""));
        try (Stream<Path> paths = Files.walk(MODULE.resolve("target"), 2)) {
            return paths.filter(path -> matcher.matches(MODULE.relativize(path))).toList();
        }
    }
}
