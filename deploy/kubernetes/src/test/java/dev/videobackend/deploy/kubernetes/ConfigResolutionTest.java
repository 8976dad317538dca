package dev.videobackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static dev.videobackend.deploy.kubernetes.ServiceManifestsTest.mountedProperties;
import static dev.videobackend.deploy.kubernetes.ServiceManifestsTest.onlyContainer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' configuration as SmallRye Config resolves it in the pod, with Quarkus's ordinals: the built-in
 * application.properties (250), the mounted config/application.properties (260) and the container's environment
 * (300; a Secret's value stands in as "secret:name/key", a downward API field's as "field:path").
 */
class ConfigResolutionTest {

    private static final Pattern KAFKA_CHANNEL = Pattern.compile("(mp\\.messaging\\.(?:incoming|outgoing)\\.[\\w-]+)\\.connector");

    @EachOverlay
    void secretsReachTheirPropertiesAndEveryMountedSettingResolves(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        for (String service : ServiceConfig.services()) {
            Deployment deployment = manifests.deployment(service);
            Properties mounted = mountedProperties(manifests, deployment);
            SmallRyeConfig config = configOf(service, mounted, deployment);

            mounted.stringPropertyNames().forEach(key -> assertThat(config.getValue(key, String.class))
                    .as("%s: %s", service, key).doesNotContain("${"));
            assertThat(config.getValue("kafka.sasl.jaas.config", String.class))
                    .isEqualTo("secret:" + service + "/sasl.jaas.config");
            // Quarkus hands the connector every kafka.* name the configuration lists.
            assertThat(StreamSupport.stream(config.getPropertyNames().spliterator(), false))
                    .contains("kafka.sasl.jaas.config", "kafka.security.protocol", "kafka.ssl.truststore.location");
        }
        SmallRyeConfig catalog = configOf("catalog-service", mountedProperties(manifests,
                manifests.deployment("catalog-service")), manifests.deployment("catalog-service"));
        assertThat(catalog.getValue("quarkus.datasource.username", String.class)).isEqualTo("secret:video-db-app/username");
        assertThat(catalog.getValue("quarkus.datasource.password", String.class)).isEqualTo("secret:video-db-app/password");
    }

    /** Production does not inherit the local stack's origins, token issuer, audience or key. */
    @Test
    void prodHasItsOwnOriginsIssuerAudienceAndKey() {
        Properties builtIn = ServiceConfig.load(ServiceConfig.read(
                Manifests.PROJECT_ROOT.resolve("catalog-service/src/main/resources/application.properties")));
        Map<String, SmallRyeConfig> overlays = new HashMap<>();
        for (String overlay : List.of("dev", "prod")) {
            Manifests manifests = Manifests.overlay(overlay);
            Deployment catalog = manifests.deployment("catalog-service");
            overlays.put(overlay, configOf("catalog-service", mountedProperties(manifests, catalog), catalog));
        }
        SmallRyeConfig prod = overlays.get("prod");
        assertThat(prod.getValue("quarkus.http.cors.origins", String.class)).doesNotContain("*").startsWith("https://");
        assertThat(prod.getValue("mp.jwt.verify.issuer", String.class))
                .isNotEqualTo(builtIn.getProperty("mp.jwt.verify.issuer")).startsWith("https://");
        assertThat(prod.getValue("mp.jwt.verify.audiences", String.class)).isEqualTo("video-backend");
        String keyFile = prod.getValue("mp.jwt.verify.publickey.location", String.class);
        assertThat(jwtKeySecret(Manifests.overlay("prod"), keyFile))
                .isNotEqualTo(jwtKeySecret(Manifests.overlay("dev"), keyFile));
    }

    private static String jwtKeySecret(Manifests manifests, String keyFile) {
        Deployment catalog = manifests.deployment("catalog-service");
        String volume = onlyContainer(catalog).getVolumeMounts().stream()
                .filter(m -> keyFile.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow().getName();
        return catalog.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(volume))
                .findFirst().orElseThrow().getSecret().getSecretName();
    }

    /**
     * The catalog's readiness does not follow Kafka (while the broker is away it keeps serving, its events waiting in
     * the outbox), so none of its Kafka channels reports into readiness; the transcoder's do, since it has nothing
     * to do without Kafka.
     */
    @EachOverlay
    void onlyTheTranscodersReadinessFollowsKafka(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        for (String service : ServiceConfig.services()) {
            Deployment deployment = manifests.deployment(service);
            SmallRyeConfig config = configOf(service, mountedProperties(manifests, deployment), deployment);
            List<String> channels = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                    .map(KAFKA_CHANNEL::matcher).filter(Matcher::matches)
                    .filter(m -> config.getValue(m.group(0), String.class).equals("smallrye-kafka"))
                    .map(m -> m.group(1)).toList();
            assertThat(channels).as(service).isNotEmpty();
            boolean catalog = service.equals("catalog-service");
            for (String channel : channels) {
                assertThat(config.getOptionalValue(channel + ".health-readiness-enabled", Boolean.class).orElse(true))
                        .as("%s: %s reports into readiness", service, channel).isEqualTo(!catalog);
            }
        }
    }

    /** The variable's value, or a stand-in naming its source: "secret:name/key", "field:path". */
    private static String valueOf(EnvVar env) {
        if (env.getValueFrom() == null) {
            return env.getValue();
        }
        if (env.getValueFrom().getFieldRef() != null) {
            return "field:" + env.getValueFrom().getFieldRef().getFieldPath();
        }
        return "secret:" + env.getValueFrom().getSecretKeyRef().getName() + "/"
                + env.getValueFrom().getSecretKeyRef().getKey();
    }

    static SmallRyeConfig configOf(String service, Properties mounted, Deployment deployment) {
        Properties builtIn = ServiceConfig.load(ServiceConfig.read(
                Manifests.PROJECT_ROOT.resolve(service).resolve("src/main/resources/application.properties")));
        Map<String, String> environment = new HashMap<>();
        for (EnvVar env : onlyContainer(deployment).getEnv()) {
            environment.put(env.getName(), valueOf(env));
        }
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(builtIn, "application.properties", 250))
                .withSources(new PropertiesConfigSource(mounted, "config/application.properties", 260))
                .withSources(new EnvConfigSource(environment, 300))
                .build();
    }
}
