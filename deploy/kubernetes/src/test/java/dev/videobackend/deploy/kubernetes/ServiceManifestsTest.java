package dev.videobackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The two Deployments and what surrounds the catalog agree with the services' source tree and with each other. */
class ServiceManifestsTest {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)}");
    private static final Pattern JVM_SIZE =
            Pattern.compile("-(Xmx|XX:MaxDirectMemorySize=|Dorg\\.bytedeco\\.javacpp\\.\\w+=)(\\d+)([kmg]?)");
    private static final Pattern IMAGE_OPTIONS = Pattern.compile("^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"$", Pattern.MULTILINE);
    /**
     * What a service's JVM needs besides its heap and direct buffers: metaspace, code cache, GC structures, thread
     * stacks, symbols. The packaged catalog measured about 250 MiB of it (Native Memory Tracking, docs/deploy.md).
     */
    private static final long NON_HEAP_ALLOWANCE = 320L << 20;
    /**
     * Variables the Quarkus JVM image's start script reads, and those the AWS SDK's default credential chain reads,
     * not the application.
     */
    private static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS_APPEND", "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY");

    @EachOverlay
    void eachServiceRunsItsOwnImageWithMatchingLabels(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        for (String service : ServiceConfig.services()) {
            Deployment deployment = manifests.deployment(service);
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(ServiceConfig.of(service).value("quarkus.application.name")).isEqualTo(service);
            assertThat(podLabels).containsEntry("app.kubernetes.io/name", service)
                    .containsEntry("app.kubernetes.io/part-of", "video-backend")
                    .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
            assertThat(deployment.getSpec().getSelector().getMatchExpressions()).isEmpty();
            Container container = onlyContainer(deployment);
            assertThat(container.getName()).isEqualTo(service);
            assertThat(container.getImage())
                    .matches("(.+/)?video-backend/" + service + "(:[\\w.-]+)?(@sha256:[0-9a-f]{64})?")
                    .matches(".*[:@].*");
        }
    }

    @Test
    void theBaseTagsTheImagesWithTheProjectVersion() {
        Manifests manifests = Manifests.of(Manifests.KUBERNETES_DIR.resolve("base"));
        Matcher version = Pattern.compile("<artifactId>video-backend</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(ServiceConfig.read(Manifests.PROJECT_ROOT.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        for (String service : ServiceConfig.services()) {
            assertThat(onlyContainer(manifests.deployment(service)).getImage())
                    .isEqualTo("video-backend/" + service + ":" + version.group(1));
        }
    }

    /**
     * A Deployment an autoscaler owns must not name its replicas: every client-side {@code kubectl apply -k} would
     * reset the count (twelve busy transcoders to one) and a server-side apply would conflict with the autoscaler.
     */
    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod", "overlays/s3"})
    void noAutoscaledDeploymentSetsItsReplicas(String kustomization) {
        List<ObjectNode> resources = Kustomize.build(Manifests.KUBERNETES_DIR.resolve(kustomization));
        Set<String> autoscaled = new HashSet<>();
        for (ObjectNode resource : resources) {
            JsonNode target = resource.at("/spec/scaleTargetRef");
            boolean autoscaler = Set.of("HorizontalPodAutoscaler", "ScaledObject").contains(resource.path("kind").asText());
            if (autoscaler && target.path("kind").asText("Deployment").equals("Deployment")) {
                autoscaled.add(target.path("name").asText());
            }
        }
        assertThat(autoscaled).containsExactlyInAnyOrder(ServiceConfig.services().toArray(String[]::new));
        assertThat(resources).filteredOn(r -> r.path("kind").asText().equals("Deployment"))
                .filteredOn(r -> autoscaled.contains(r.at("/metadata/name").asText()))
                .hasSize(2)
                .allSatisfy(deployment -> assertThat(deployment.at("/spec/replicas").isMissingNode())
                        .as("%s sets no replicas", Kustomize.id(deployment)).isTrue());
    }

    /** In prod every image is named by digest: a tag can be moved to another image, a digest cannot. */
    @Test
    void prodPinsEveryImageByDigest() {
        Manifests prod = Manifests.overlay("prod");
        List<String> images = new ArrayList<>();
        prod.all(Deployment.class).forEach(d -> d.getSpec().getTemplate().getSpec().getContainers()
                .forEach(c -> images.add(c.getImage())));
        prod.custom("Cluster").forEach(cluster -> images.add(cluster.at("/spec/imageName").asText()));
        assertThat(images).hasSize(3).allSatisfy(image -> assertThat(image).matches(".+@sha256:[0-9a-f]{64}"));
    }

    @EachOverlay
    void portsAndProbesAreTheServicesOwn(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        for (String service : ServiceConfig.services()) {
            Container container = onlyContainer(manifests.deployment(service));
            int port = Integer.parseInt(ServiceConfig.of(service).value("quarkus.http.port"));
            assertThat(container.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getContainerPort()).isEqualTo(port);
                assertThat(p.getName()).isEqualTo("http");
            });
            assertProbe(container.getStartupProbe(), "/q/health/started");
            assertProbe(container.getLivenessProbe(), "/q/health/live");
            assertProbe(container.getReadinessProbe(), "/q/health/ready");
        }
    }

    @EachOverlay
    void everyPodIsHardenedAndBounded(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        assertThat(manifests.all(Deployment.class)).hasSize(2).allSatisfy(deployment -> {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            PodSecurityContext podSecurity = pod.getSecurityContext();
            assertThat(podSecurity.getRunAsNonRoot()).isTrue();
            assertThat(podSecurity.getRunAsUser()).isEqualTo(185L);
            assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            // The kubelet changes the media volume's group only when its root is not already 185's.
            assertThat(podSecurity.getFsGroupChangePolicy()).isEqualTo("OnRootMismatch");
            for (Container container : pod.getContainers()) {
                SecurityContext security = container.getSecurityContext();
                assertThat(security.getReadOnlyRootFilesystem()).isTrue();
                assertThat(security.getAllowPrivilegeEscalation()).isFalse();
                assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
                assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
                assertThat(bytes(container.getResources().getRequests().get("memory")))
                        .isLessThanOrEqualTo(bytes(container.getResources().getLimits().get("memory")));
                // A read-only root: temporary files go to an emptyDir.
                VolumeMount tmp = mount(container, "/tmp");
                assertThat(volume(pod, tmp.getName()).getEmptyDir().getSizeLimit()).isNotNull();
            }
        });
    }

    @EachOverlay
    void everyConfigurationKeyAndVariableIsAPropertyTheServiceReads(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        for (String service : ServiceConfig.services()) {
            ServiceConfig config = ServiceConfig.of(service);
            Deployment deployment = manifests.deployment(service);
            Properties mounted = mountedProperties(manifests, deployment);
            assertThat(mounted.stringPropertyNames()).allSatisfy(key ->
                    assertThat(config.reads(key)).as("%s reads %s", service, key).isTrue());
            for (EnvVar env : onlyContainer(deployment).getEnv()) {
                boolean property = config.properties.keySet().stream()
                        .anyMatch(key -> ServiceConfig.environmentName(key).equals(env.getName()))
                        || config.mappedProperties.keySet().stream()
                        .anyMatch(key -> ServiceConfig.environmentName(key).equals(env.getName()))
                        || mounted.stringPropertyNames().stream()
                        .anyMatch(key -> ServiceConfig.environmentName(key).equals(env.getName()))
                        || ServiceConfig.FRAMEWORK_PROPERTIES.stream()
                        .anyMatch(key -> ServiceConfig.environmentName(key).equals(env.getName()));
                assertThat(property || IMAGE_VARIABLES.contains(env.getName()))
                        .as("%s: %s is the environment name of a property it reads", service, env.getName()).isTrue();
            }
            // Every ${VARIABLE} in the mounted file is set on the container.
            mounted.stringPropertyNames().forEach(key -> {
                Matcher expression = EXPRESSION.matcher(mounted.getProperty(key));
                while (expression.find()) {
                    assertThat(onlyContainer(deployment).getEnv()).extracting(EnvVar::getName)
                            .contains(expression.group(1));
                }
            });
        }
    }

    /** The overlays with media on the shared volume; overlays/s3 has none (S3OverlayTest). */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void bothServicesShareTheMediaVolumeAtTheirMediaRoot(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        for (String service : ServiceConfig.services()) {
            Deployment deployment = manifests.deployment(service);
            String root = mountedProperties(manifests, deployment).getProperty(service.replace("-service", "") + ".media.root");
            assertThat(root).as(service + " media root").isNotNull();
            VolumeMount mount = mount(onlyContainer(deployment), root);
            assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
            String claim = volume(deployment.getSpec().getTemplate().getSpec(), mount.getName())
                    .getPersistentVolumeClaim().getClaimName();
            assertThat(claim).isEqualTo("video-media");
            assertThat(manifests.named(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class, claim)
                    .getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        }
    }

    /**
     * Each JVM is sized for its container: the heap explicitly (not run-java.sh's 80 % of the limit), direct buffers
     * explicitly (the JVM would allow as much as the heap), and with {@link #NON_HEAP_ALLOWANCE} for the rest, the
     * sum fits the limit; the transcoder's JavaCPP allocations come on top, and its physical limit stays below the
     * container's. The deployment's JAVA_OPTS_APPEND replaces the image's, so it repeats the image's flags.
     */
    @EachOverlay
    void eachJvmsMemoryFitsItsContainer(String overlay) throws IOException {
        Manifests manifests = Manifests.overlay(overlay);
        for (String service : ServiceConfig.services()) {
            Container container = onlyContainer(manifests.deployment(service));
            long limit = bytes(container.getResources().getLimits().get("memory"));
            String options = container.getEnv().stream().filter(e -> e.getName().equals("JAVA_OPTS_APPEND"))
                    .findFirst().orElseThrow(() -> new AssertionError(service + " sets no JAVA_OPTS_APPEND")).getValue();
            Map<String, Long> sizes = jvmSizes(options);
            long heap = sizes.get("Xmx");
            long direct = sizes.getOrDefault("XX:MaxDirectMemorySize=", heap);
            long javaCpp = sizes.getOrDefault("Dorg.bytedeco.javacpp.maxBytes=", 0L);
            assertThat(heap + direct + NON_HEAP_ALLOWANCE + javaCpp)
                    .as("%s: heap %d MiB + direct %d MiB + %d MiB for the rest + JavaCPP %d MiB within %d MiB", service,
                            heap >> 20, direct >> 20, NON_HEAP_ALLOWANCE >> 20, javaCpp >> 20, limit >> 20)
                    .isLessThanOrEqualTo(limit);
            if (service.equals("transcoder-service")) {
                long maxPhysicalBytes = sizes.get("Dorg.bytedeco.javacpp.maxPhysicalBytes=");
                assertThat(maxPhysicalBytes).isLessThan(limit);
                assertThat(heap + javaCpp).isLessThan(maxPhysicalBytes);
            }
            String image = Files.readString(Manifests.PROJECT_ROOT.resolve(service).resolve("src/main/docker/Dockerfile.jvm"));
            Matcher imageOptions = IMAGE_OPTIONS.matcher(image);
            assertThat(imageOptions.find()).isTrue();
            assertThat(options.split("\\s+")).as(service + " repeats the image's JAVA_OPTS_APPEND")
                    .contains(imageOptions.group(1).split("\\s+"));
        }
    }

    private static Map<String, Long> jvmSizes(String options) {
        Map<String, Long> sizes = new java.util.HashMap<>();
        Matcher size = JVM_SIZE.matcher(options);
        while (size.find()) {
            long unit = switch (size.group(3)) {
                case "k" -> 1L << 10;
                case "m" -> 1L << 20;
                case "g" -> 1L << 30;
                default -> 1L;
            };
            sizes.put(size.group(1), Long.parseLong(size.group(2)) * unit);
        }
        return sizes;
    }

    @EachOverlay
    void shutdownFitsTheGracePeriod(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        Deployment catalog = manifests.deployment("catalog-service");
        long preStop = onlyContainer(catalog).getLifecycle().getPreStop().getSleep().getSeconds();
        Duration shutdown = duration(mountedProperties(manifests, catalog).getProperty("quarkus.shutdown.timeout"));
        assertThat(preStop + shutdown.toSeconds())
                .isLessThan(catalog.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());

        // The running job drains, then is stopped and handed back; one stuck in native code is halted after
        // halt-grace: all before SIGKILL, which during the drain would lose the work and count an attempt.
        Deployment transcoder = manifests.deployment("transcoder-service");
        Duration drain = duration(mountedProperties(manifests, transcoder).getProperty("transcoder.jobs.drain-timeout"));
        Duration haltGrace = duration(ServiceConfig.of("transcoder-service").value("transcoder.jobs.halt-grace"));
        assertThat(drain).isPositive();
        assertThat(transcoder.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(drain.plus(haltGrace).toSeconds());
    }

    @EachOverlay
    void theCatalogIsReachableThroughItsServiceIngressAndKeptUpByHpaAndPdb(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        Deployment catalog = manifests.deployment("catalog-service");
        Map<String, String> podLabels = catalog.getSpec().getTemplate().getMetadata().getLabels();

        Service service = manifests.named(Service.class, "catalog-service");
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));

        Ingress ingress = manifests.named(Ingress.class, "catalog-service");
        assertThat(ingress.getSpec().getRules()).flatExtracting(rule -> rule.getHttp().getPaths())
                .allSatisfy(path -> {
                    assertThat(path.getBackend().getService().getName()).isEqualTo("catalog-service");
                    assertThat(path.getBackend().getService().getPort().getName())
                            .isEqualTo(service.getSpec().getPorts().get(0).getName());
                })
                .extracting(HTTPIngressPath::getPath).containsExactlyInAnyOrder("/graphql", "/api", "/media");
        assertThat(ingress.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "0")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-request-buffering", "off");

        HorizontalPodAutoscaler hpa = manifests.named(HorizontalPodAutoscaler.class, "catalog-service");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("catalog-service");
        assertThat(hpa.getSpec().getMetrics()).singleElement()
                .satisfies(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));

        PodDisruptionBudget pdb = manifests.named(PodDisruptionBudget.class, "catalog-service");
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    }

    static Container onlyContainer(Deployment deployment) {
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** The application.properties the Deployment mounts at /deployments/config, from its ConfigMap. */
    static Properties mountedProperties(Manifests manifests, Deployment deployment) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        VolumeMount mount = mount(onlyContainer(deployment), "/deployments/config");
        ConfigMap configMap = manifests.configMap(volume(pod, mount.getName()).getConfigMap().getName());
        assertThat(configMap.getData()).containsOnlyKeys("application.properties");
        return ServiceConfig.load(configMap.getData().get("application.properties"));
    }

    private static VolumeMount mount(Container container, String path) {
        return container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + path));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    private static long bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).setScale(0, java.math.RoundingMode.UNNECESSARY).longValueExact();
    }

    /** Quarkus's short duration form (20s, 1m, 500ms) or ISO-8601. */
    static Duration duration(String value) {
        if (value.matches("\\d+ms")) {
            return Duration.ofMillis(Long.parseLong(value.replace("ms", "")));
        }
        if (value.matches("\\d+[smhd]")) {
            String unit = value.substring(value.length() - 1);
            return unit.equals("d") ? Duration.ofDays(Long.parseLong(value.replace("d", "")))
                    : Duration.parse("PT" + value.toUpperCase());
        }
        return Duration.parse(value);
    }
}
