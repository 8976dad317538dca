package dev.videobackend.transcoder.kubernetes;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sets this pod's deletion cost with one JSON merge patch of its annotations through the Kubernetes API: the
 * service account token as bearer, TLS verified against the mounted CA (host name included). Plain
 * {@code java.net.http}, no Kubernetes client library: it stays small and native-friendly.
 */
final class PodDeletionCostClient {

    static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
    /** A DNS subdomain, which every pod and namespace name is: nothing that could leave the URL's path segment. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final int MESSAGE_LIMIT = 300;

    private final HttpClient http;
    private final URI pod;
    private final Path tokenFile;
    private final Duration timeout;

    private PodDeletionCostClient(HttpClient http, URI pod, Path tokenFile, Duration timeout) {
        this.http = http;
        this.pod = pod;
        this.tokenFile = tokenFile;
        this.timeout = timeout;
    }

    /** A client for the pod the configuration names; fails at once on a missing or malformed name or CA. */
    static PodDeletionCostClient of(PodDeletionCostConfig config) {
        return of(config.podName(), config.namespace(), config.apiServer(), config.tokenFile(), config.caFile(),
                config.requestTimeout());
    }

    static PodDeletionCostClient of(Optional<String> podName, Optional<String> namespace, URI apiServer,
                                    Path tokenFile, Path caFile, Duration timeout) {
        String base = apiServer.toString().replaceAll("/+$", "");
        URI pod = URI.create(base + "/api/v1/namespaces/" + required(namespace, "namespace", "metadata.namespace")
                + "/pods/" + required(podName, "pod-name", "metadata.name"));
        HttpClient http = HttpClient.newBuilder()
                .sslContext(trusting(caFile))
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new PodDeletionCostClient(http, pod, tokenFile, timeout);
    }

    /** Writes the cost; an answer other than 200 is an {@link IOException} naming the status and the API's message. */
    void set(int cost) throws IOException, InterruptedException {
        String token = Files.readString(tokenFile).trim();
        String patch = "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + cost + "\"}}}";
        HttpRequest request = HttpRequest.newBuilder(pod)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/merge-patch+json")
                .header("Accept", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            String body = response.body();
            throw new IOException("PATCH " + pod + " answered " + response.statusCode() + ": "
                    + (body.length() > MESSAGE_LIMIT ? body.substring(0, MESSAGE_LIMIT) + "..." : body));
        }
    }

    URI pod() {
        return pod;
    }

    private static String required(Optional<String> configured, String property, String downwardField) {
        String value = configured.orElse("");
        if (value.isBlank()) {
            throw new IllegalStateException("transcoder.pod-deletion-cost.enabled needs transcoder.pod-deletion-cost."
                    + property + " (in Kubernetes, the downward API's " + downwardField + ")");
        }
        if (!NAME.matcher(value).matches()) {
            throw new IllegalStateException("transcoder.pod-deletion-cost." + property + " '" + value
                    + "' is not a Kubernetes name");
        }
        return value;
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream pem = Files.newInputStream(caFile)) {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                anchors.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new IllegalStateException(caFile + " holds no certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the API server's CA from " + caFile + ": " + e.getMessage(), e);
        }
    }
}
