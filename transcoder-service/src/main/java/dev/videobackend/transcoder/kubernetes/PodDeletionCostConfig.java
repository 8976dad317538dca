package dev.videobackend.transcoder.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Keeping {@code controller.kubernetes.io/pod-deletion-cost} on this transcoder's own pod at its number of jobs in
 * hand, so that a scale-in removes idle transcoders before busy ones (docs/deploy.md). Off unless enabled; the
 * Kubernetes manifests enable it and give the pod what it needs: its name and namespace, a service account token and
 * the right to patch its own pod's annotation, nothing else.
 */
@ConfigMapping(prefix = "transcoder.pod-deletion-cost")
public interface PodDeletionCostConfig {

    @WithDefault("false")
    boolean enabled();

    /** This pod's name (Kubernetes: the downward API's {@code metadata.name}); required when enabled. */
    Optional<String> podName();

    /** This pod's namespace (the downward API's {@code metadata.namespace}); required when enabled. */
    Optional<String> namespace();

    /** The Kubernetes API server, as pods reach it. */
    @WithDefault("https://kubernetes.default.svc")
    URI apiServer();

    /** The service account token, read again for every request: the kubelet renews it. */
    @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
    Path tokenFile();

    /** The PEM certificates the API server's certificate must chain to. */
    @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt")
    Path caFile();

    /** How often the jobs in hand are compared with the annotation; a change is written at the next check. */
    @WithDefault("2s")
    @DurationMin(millis = 100)
    Duration checkInterval();

    /** Longest wait for the API server to connect or answer. */
    @WithDefault("10s")
    @DurationMin(millis = 100)
    Duration requestTimeout();
}
