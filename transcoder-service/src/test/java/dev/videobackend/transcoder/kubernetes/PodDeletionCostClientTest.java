package dev.videobackend.transcoder.kubernetes;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The patch against a local HTTPS server standing in for the Kubernetes API server, with a certificate made by
 * the JDK's keytool: the request's method, path, headers and body, the token read afresh, the API's refusals, and
 * TLS verified against the configured CA only.
 */
class PodDeletionCostClientTest {

    private static final String PASSWORD = "changeit";

    /** Certificates are made once: keytool is a JVM of its own. */
    @TempDir
    static Path certificates;

    @TempDir
    Path dir;

    private HttpsServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"kind\":\"Pod\"}";

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificate("server", certificates.resolve("ca.crt"));
        certificate("other", certificates.resolve("other-ca.crt"));
    }

    @BeforeEach
    void startApiServer() throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(certificates.resolve("server.p12"))));
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n"
                        + exchange.getRequestHeaders().getFirst("Authorization") + "\n"
                        + exchange.getRequestHeaders().getFirst("Content-Type") + "\n"
                        + new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] response = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, response.length);
            exchange.getResponseBody().write(response);
            exchange.close();
        });
        server.start();
        Files.writeString(dir.resolve("token"), "first-token\n");
    }

    @AfterEach
    void stopApiServer() {
        server.stop(0);
    }

    @Test
    void patchesTheOwnPodsAnnotationWithTheCurrentToken() throws Exception {
        PodDeletionCostClient client = client(certificates.resolve("ca.crt"));

        client.set(1);
        Files.writeString(dir.resolve("token"), "renewed-token");
        client.set(0);

        assertThat(requests).containsExactly(
                """
                PATCH /api/v1/namespaces/video-backend/pods/transcoder-service-7d9f-x2k4q
                Bearer first-token
                application/merge-patch+json
                {"metadata":{"annotations":{"controller.kubernetes.io/pod-deletion-cost":"1"}}}""",
                """
                PATCH /api/v1/namespaces/video-backend/pods/transcoder-service-7d9f-x2k4q
                Bearer renewed-token
                application/merge-patch+json
                {"metadata":{"annotations":{"controller.kubernetes.io/pod-deletion-cost":"0"}}}""");
    }

    @Test
    void aRefusalIsAnErrorNamingTheStatusAndTheApisMessage() {
        status = 403;
        answer = "{\"kind\":\"Status\",\"message\":\"pods \\\"transcoder-service-7d9f-x2k4q\\\" is forbidden\"}";
        PodDeletionCostClient client = client(certificates.resolve("ca.crt"));

        assertThatThrownBy(() -> client.set(1)).isInstanceOf(IOException.class)
                .hasMessageContaining("answered 403").hasMessageContaining("is forbidden");
    }

    @Test
    void aServerWhoseCertificateTheCaDidNotSignIsRefused() throws Exception {
        PodDeletionCostClient client = client(certificates.resolve("other-ca.crt"));

        assertThatThrownBy(() -> client.set(1)).isInstanceOf(IOException.class);
        assertThat(requests).isEmpty();
    }

    @Test
    void aMissingOrMalformedPodNameFailsAtOnce() {
        assertThatThrownBy(() -> client(certificates.resolve("ca.crt"), Optional.empty()))
                .hasMessageContaining("transcoder.pod-deletion-cost.pod-name").hasMessageContaining("metadata.name");
        assertThatThrownBy(() -> client(certificates.resolve("ca.crt"), Optional.of("../secrets")))
                .hasMessageContaining("is not a Kubernetes name");
    }

    private PodDeletionCostClient client(Path caFile) {
        return client(caFile, Optional.of("transcoder-service-7d9f-x2k4q"));
    }

    private PodDeletionCostClient client(Path caFile, Optional<String> podName) {
        return PodDeletionCostClient.of(podName, Optional.of("video-backend"),
                URI.create("https://localhost:" + server.getAddress().getPort() + "/"), dir.resolve("token"), caFile,
                Duration.ofSeconds(10));
    }

    /** A self-signed certificate for localhost: its key store {@code name.p12}, and the certificate in PEM at {@code pem}. */
    private static void certificate(String name, Path pem) throws Exception {
        Path keyStore = certificates.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
