package dev.videobackend.stack;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervisor on a real child JVM: an application that crashes at once is started again with growing delays,
 * one that runs is stopped for good by {@link ServiceProcess#close()}, and one replaced runs again as one fresh
 * process.
 */
class ServiceProcessTest {

    private static final RestartPolicy FAST = new RestartPolicy(Duration.ofMillis(200), Duration.ofMillis(800),
            Duration.ofMinutes(1));

    @TempDir
    Path directory;

    /** The child: exits at once with the status of its first argument (from a file), or runs until killed. */
    public static final class Child {
        public static void main(String[] arguments) throws Exception {
            String behaviour = Files.readString(Path.of(System.getProperty("child.behaviour")));
            if (behaviour.startsWith("exit ")) {
                System.exit(Integer.parseInt(behaviour.substring(5).trim()));
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void aCrashLoopIsRestartedWithGrowingDelaysAndLogged() throws Exception {
        Path behaviour = Files.writeString(directory.resolve("behaviour"), "exit 3");
        List<String> notices = new CopyOnWriteArrayList<>();
        Path log = directory.resolve("logs/child.log");
        long began = System.nanoTime();
        try (ServiceProcess child = ServiceProcess.supervise("child", childJar(),
                List.of("-Dchild.behaviour=" + behaviour), Map.of(), log, FAST, notices::add)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> child.restarts() >= 4);
            // 200 + 400 + 800 + 800 ms of back-off at least, besides four JVM starts.
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThan(Duration.ofMillis(2200));
        }
        assertThat(notices).anySatisfy(notice -> assertThat(notice)
                .contains("child (pid ").contains("exited with status 3").contains("restart 1 (crash 1 in a row) in 200 ms"));
        assertThat(notices).anySatisfy(notice -> assertThat(notice).contains("crash 3 in a row) in 800 ms"));
        assertThat(notices).anySatisfy(notice -> assertThat(notice).contains("crash 4 in a row) in 800 ms"));
        assertThat(notices).anySatisfy(notice -> assertThat(notice).startsWith("child restarted (pid "));
        assertThat(Files.readString(log)).contains("local-stack: child (pid ");
    }

    @Test
    void aKilledServiceComesBackWithANewPidAndCloseStopsItForGood() throws Exception {
        Path behaviour = Files.writeString(directory.resolve("behaviour"), "run");
        List<String> notices = new CopyOnWriteArrayList<>();
        ServiceProcess child = ServiceProcess.supervise("child", childJar(), List.of("-Dchild.behaviour=" + behaviour),
                Map.of(), directory.resolve("child.log"), FAST, notices::add);
        long first = child.pid();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> child.restarts() == 1 && child.isAlive());
        long second = child.pid();
        assertThat(second).isNotEqualTo(first);
        assertThat(notices).anySatisfy(notice -> assertThat(notice).contains("exited with status 137 (SIGKILL)"));

        child.close();
        assertThat(ProcessHandle.of(second).filter(ProcessHandle::isAlive)).isEmpty();
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> child.restarts() == 1 && !child.isAlive());
    }

    @Test
    void aReplacedServiceRunsAsOneFreshProcessWithoutCountingACrash() throws Exception {
        Path behaviour = Files.writeString(directory.resolve("behaviour"), "run");
        List<String> notices = new CopyOnWriteArrayList<>();
        try (ServiceProcess child = ServiceProcess.supervise("child", childJar(),
                List.of("-Dchild.behaviour=" + behaviour), Map.of(), directory.resolve("child.log"), FAST,
                notices::add)) {
            long first = child.pid();
            child.replace();
            long second = child.pid();
            assertThat(second).isNotEqualTo(first);
            assertThat(ProcessHandle.of(first).filter(ProcessHandle::isAlive)).isEmpty();
            // Past the back-off a supervisor restart would have waited: still the one process, no restart counted.
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> child.isAlive() && child.pid() == second && child.restarts() == 0);
            assertThat(notices).noneSatisfy(notice -> assertThat(notice).contains("exited with status"));
            assertThat(notices).anySatisfy(notice -> assertThat(notice).startsWith("child replaced (pid " + first));
        }
    }

    /** A jar of nothing but a manifest that runs {@link Child} from this module's test classes. */
    private Path childJar() throws IOException, URISyntaxException {
        Path classes = Path.of(Child.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Child.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
        Path jar = directory.resolve("child.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }
}
