package dev.videobackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.videobackend.deploy.kubernetes.ServiceManifestsTest.onlyContainer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * overlays/s3: production with media in a bucket and no shared volume; credentials never in a ConfigMap, the
 * transcoder's scratch big enough for the largest source it fetches, egress to the object store's HTTPS port.
 */
class S3OverlayTest {

    /** transcoder.storage.scratch.max-source-bytes' default: the scratch volume holds such a source and its ladder. */
    private static final long MAX_SOURCE_BYTES = 8589934592L;

    private final Manifests manifests = Manifests.overlay("s3");

    @Test
    void nothingClaimsAVolumeAndBothServicesUseTheBucket() {
        assertThat(manifests.all(PersistentVolumeClaim.class)).isEmpty();
        for (String service : ServiceConfig.services()) {
            Deployment deployment = manifests.deployment(service);
            assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                    .allSatisfy(volume -> assertThat(volume.getPersistentVolumeClaim()).as(volume.getName()).isNull());
            Map<String, EnvVar> env = env(onlyContainer(deployment));
            String prefix = service.replace("-service", "").toUpperCase() + "_STORAGE_";
            assertThat(env.get(prefix + "TYPE").getValue()).isEqualTo("s3");
            assertThat(env.get(prefix + "S3_BUCKET").getValue()).isNotBlank();
            assertThat(env.get("QUARKUS_S3_AWS_REGION").getValue()).isNotBlank();
            assertThat(onlyContainer(deployment).getVolumeMounts()).extracting(VolumeMount::getMountPath)
                    .doesNotContain("/media");
        }
    }

    @Test
    void credentialsComeFromAnOptionalSecretOrThePodsIdentity() {
        for (String service : ServiceConfig.services()) {
            Map<String, EnvVar> env = env(onlyContainer(manifests.deployment(service)));
            for (String variable : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
                EnvVar credential = env.get(variable);
                assertThat(credential.getValue()).as(variable).isNull();
                assertThat(credential.getValueFrom().getSecretKeyRef().getName()).isEqualTo("video-media-s3");
                // Without the Secret the SDK's chain goes on to web identity (IRSA) or the instance's role.
                assertThat(credential.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
            }
        }
        for (ConfigMap config : manifests.all(ConfigMap.class)) {
            assertThat(String.join("\n", config.getData() == null ? List.of() : config.getData().values()))
                    .as(config.getMetadata().getName()).doesNotContainIgnoringCase("secret-access-key")
                    .doesNotContainIgnoringCase("aws.credentials");
        }
    }

    @Test
    void theTranscoderStagesJobsInAScratchVolumeLargerThanTheLargestSource() {
        Deployment transcoder = manifests.deployment("transcoder-service");
        Container container = onlyContainer(transcoder);
        String scratch = env(container).get("TRANSCODER_STORAGE_SCRATCH_DIRECTORY").getValue();
        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(scratch))
                .findFirst().orElseThrow();
        Volume volume = transcoder.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        Quantity limit = volume.getEmptyDir().getSizeLimit();
        assertThat(Quantity.getAmountInBytes(limit).longValue()).isGreaterThan(2 * MAX_SOURCE_BYTES);
    }

    @Test
    void bothServicesMayReachTheObjectStoresHttpsPort() {
        NetworkPolicy egress = manifests.named(NetworkPolicy.class, "services-s3-egress");
        assertThat(egress.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(egress.getSpec().getPodSelector().getMatchExpressions().get(0).getValues())
                .containsExactlyInAnyOrderElementsOf(ServiceConfig.services());
        List<NetworkPolicyEgressRule> rules = egress.getSpec().getEgress();
        assertThat(rules).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).singleElement().satisfies(port -> {
                assertThat(port.getProtocol()).isEqualTo("TCP");
                assertThat(port.getPort().getIntVal()).isEqualTo(443);
            });
            assertThat(rule.getTo()).allSatisfy(peer -> assertThat(peer.getIpBlock().getCidr()).isNotBlank());
        });
    }

    private static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }
}
