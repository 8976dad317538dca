package dev.videobackend.catalog;

import dev.videobackend.infra.quarkus.S3Resource;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The S3 server of {@link S3Resource}, reached through a TCP forwarder that a test can take down and bring up again:
 * while down, connections are refused and those open are cut, as when the bucket's network goes away. Tests switch it
 * with {@link #bucketReachable}, through a system property (the test resource's and the tests' class loaders share
 * nothing else) that the forwarder follows and acknowledges.
 */
public class SwitchableS3Resource extends S3Resource {

    private static final String SWITCH = SwitchableS3Resource.class.getName();
    private static final String APPLIED = SWITCH + ".applied";
    private Forwarder forwarder;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        URI server = URI.create(config.get("quarkus.s3.endpoint-override"));
        forwarder = new Forwarder(new InetSocketAddress(server.getHost(), server.getPort()));
        System.setProperty(SWITCH, "up");
        forwarder.switchTo(true);
        Forwarder.daemon(forwarder::follow);
        config.put("quarkus.s3.endpoint-override", "http://127.0.0.1:" + forwarder.port);
        return config;
    }

    @Override
    public void stop() {
        if (forwarder != null) {
            forwarder.stopped = true;
            forwarder.switchTo(false);
        }
        super.stop();
    }

    /** Makes the bucket reachable again, or not, once this returns. */
    public static void bucketReachable(boolean reachable) {
        String state = reachable ? "up" : "down";
        System.setProperty(SWITCH, state);
        Awaitility.await("the S3 forwarder " + state).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(() -> state.equals(System.getProperty(APPLIED)));
    }

    private static final class Forwarder {

        private final InetSocketAddress target;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        private final int port;
        private ServerSocket listening;
        private volatile boolean stopped;

        Forwarder(InetSocketAddress target) {
            this.target = target;
            try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                this.port = probe.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized void switchTo(boolean up) {
            try {
                if (up && listening == null) {
                    listening = new ServerSocket();
                    listening.setReuseAddress(true);
                    listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    ServerSocket server = listening;
                    daemon(() -> acceptAll(server));
                } else if (!up && listening != null) {
                    listening.close();
                    listening = null;
                    open.forEach(Forwarder::closeQuietly);
                    open.clear();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Follows the switch until the resource stops. */
        private void follow() {
            while (!stopped) {
                String state = System.getProperty(SWITCH);
                switchTo(!"down".equals(state));
                System.setProperty(APPLIED, state);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void acceptAll(ServerSocket server) {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(target.getAddress(), target.getPort());
                    open.add(client);
                    open.add(upstream);
                    daemon(() -> pump(client, upstream));
                    daemon(() -> pump(upstream, client));
                } catch (IOException e) {
                    // closed: the bucket is unreachable until switched on again
                }
            }
        }

        private void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // cut: both ends go below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }

        private static void daemon(Runnable task) {
            Thread thread = new Thread(task, "s3-forwarder");
            thread.setDaemon(true);
            thread.start();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
