package dev.videobackend.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.videobackend.deploy.kubernetes.ServiceManifestsTest.mountedProperties;
import static dev.videobackend.deploy.kubernetes.ServiceManifestsTest.onlyContainer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which pod may call the Kubernetes API, and for what: only the transcoder, with a token that can patch pods (RBAC)
 * but, through the ValidatingAdmissionPolicy, only its own pod's deletion-cost annotation. The policy's CEL rules are
 * evaluated here with the Common Expression Language's Java implementation on the requests the API server would
 * hand them.
 */
class KubernetesApiAccessTest {

    private static final String COST = "controller.kubernetes.io/pod-deletion-cost";
    private static final String POD = "transcoder-service-7d9f-x2k4q";

    @EachOverlay
    void onlyTheTranscoderHasAToken(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        assertThat(manifests.all(Deployment.class)).allSatisfy(deployment -> assertThat(
                deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
                .as(deployment.getMetadata().getName()).isFalse());
        assertThat(tokenVolume(manifests.deployment("catalog-service"))).isNull();

        Deployment transcoder = manifests.deployment("transcoder-service");
        Volume token = tokenVolume(transcoder);
        assertThat(token).isNotNull();
        assertThat(token.getProjected().getSources()).anySatisfy(source ->
                assertThat(source.getConfigMap()).isNotNull().satisfies(ca ->
                        assertThat(ca.getName()).isEqualTo("kube-root-ca.crt")));
        String serviceAccount = transcoder.getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(manifests.named(io.fabric8.kubernetes.api.model.ServiceAccount.class, serviceAccount)
                .getAutomountServiceAccountToken()).isFalse();

        // The token's one right: patch pods. No get, list or delete; no other resource.
        List<PolicyRule> rules = new ArrayList<>();
        for (RoleBinding binding : manifests.all(RoleBinding.class)) {
            if (binding.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount")
                    && s.getName().equals(serviceAccount) && s.getNamespace().equals("video-backend"))) {
                rules.addAll(manifests.named(Role.class, binding.getRoleRef().getName()).getRules());
            }
        }
        assertThat(rules).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("");
            assertThat(rule.getResources()).containsExactly("pods");
            assertThat(rule.getVerbs()).containsExactly("patch");
        });

        // Bound by the admission policy, for that service account, in this namespace.
        ObjectNode policy = only(manifests, "ValidatingAdmissionPolicy");
        ObjectNode binding = only(manifests, "ValidatingAdmissionPolicyBinding");
        assertThat(binding.at("/spec/policyName").asText()).isEqualTo(policy.at("/metadata/name").asText());
        assertThat(binding.at("/spec/validationActions").toString()).isEqualTo("[\"Deny\"]");
        assertThat(binding.at("/spec/matchResources/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                .asText()).isEqualTo("video-backend");
        assertThat(policy.at("/spec/failurePolicy").asText()).isEqualTo("Fail");
        assertThat(policy.at("/spec/matchConditions/0/expression").asText())
                .contains("'system:serviceaccount:video-backend:" + serviceAccount + "'");
    }

    @EachOverlay
    void theTranscoderIsToldItsPodAndFindsTheTokenAndCaWhereItLooks(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        Deployment transcoder = manifests.deployment("transcoder-service");
        SmallRyeConfig config = ConfigResolutionTest.configOf("transcoder-service",
                mountedProperties(manifests, transcoder), transcoder);
        String prefix = "transcoder.pod-deletion-cost.";
        assertThat(config.getValue(prefix + "enabled", Boolean.class)).isTrue();
        assertThat(config.getValue(prefix + "pod-name", String.class)).isEqualTo("field:metadata.name");
        assertThat(config.getValue(prefix + "namespace", String.class)).isEqualTo("field:metadata.namespace");

        ServiceConfig source = ServiceConfig.of("transcoder-service");
        Path token = Path.of(source.value(prefix + "token-file"));
        Path ca = Path.of(source.value(prefix + "ca-file"));
        VolumeMount mount = onlyContainer(transcoder).getVolumeMounts().stream()
                .filter(m -> m.getName().equals(tokenVolume(transcoder).getName())).findFirst().orElseThrow();
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(Path.of(mount.getMountPath())).isEqualTo(token.getParent()).isEqualTo(ca.getParent());
        List<String> paths = new ArrayList<>();
        tokenVolume(transcoder).getProjected().getSources().forEach(s -> {
            if (s.getServiceAccountToken() != null) {
                paths.add(s.getServiceAccountToken().getPath());
            } else {
                s.getConfigMap().getItems().forEach(item -> paths.add(item.getPath()));
            }
        });
        assertThat(paths).containsExactlyInAnyOrder(token.getFileName().toString(), ca.getFileName().toString());
    }

    @Test
    void theAdmissionPolicyLetsTheTranscoderChangeOnlyItsOwnPodsDeletionCost() {
        AdmissionPolicy policy = new AdmissionPolicy(only(Manifests.overlay("prod"), "ValidatingAdmissionPolicy"));

        assertThat(policy.denials(transcoder(POD), pod(), pod(p -> annotate(p, COST, "1")))).isEmpty();
        ObjectNode busy = pod(p -> annotate(p, COST, "1"));
        assertThat(policy.denials(transcoder(POD), busy, pod(p -> annotate(p, COST, "0")))).isEmpty();

        assertThat(policy.denials(transcoder("transcoder-service-other"), pod(), pod(p -> annotate(p, COST, "1"))))
                .containsExactly("the transcoder may change its own pod only");
        assertThat(policy.denials(withoutPodName(transcoder(POD)), pod(), pod(p -> annotate(p, COST, "1"))))
                .containsExactly("the transcoder may change its own pod only");
        assertThat(policy.denials(transcoder(POD), pod(), pod(p -> p.with("metadata").with("labels")
                .put("app.kubernetes.io/name", "catalog-service"))))
                .containsExactly("the transcoder may not change its pod's labels");
        assertThat(policy.denials(transcoder(POD), pod(), pod(p -> p.with("metadata").with("labels").put("extra", "x"))))
                .containsExactly("the transcoder may not change its pod's labels");
        assertThat(policy.denials(transcoder(POD), pod(), pod(p -> ((ObjectNode) p.at("/spec/containers/0"))
                .put("image", "attacker/image"))))
                .containsExactly("the transcoder may not change its pod's spec");
        assertThat(policy.denials(transcoder(POD), pod(), pod(p -> annotate(p, "other", "x"))))
                .containsExactly("the transcoder may change no annotation but " + COST);
        assertThat(policy.denials(transcoder(POD), pod(p -> annotate(p, "kept", "x")), pod()))
                .containsExactly("the transcoder may change no annotation but " + COST);
        assertThat(policy.denials(transcoder(POD), pod(), pod(p -> p.with("metadata").putArray("finalizers").add("x"))))
                .containsExactly("the transcoder may not change its pod's owners or finalizers");

        // Anyone else is not this policy's business.
        Map<String, Object> operator = Map.of("username", "system:serviceaccount:kube-system:replicaset-controller",
                "extra", Map.of());
        assertThat(policy.applies(operator, pod(), pod(p -> p.with("metadata").with("labels").put("extra", "x"))))
                .isFalse();
        assertThat(policy.applies(transcoder(POD), pod(), pod())).isTrue();
    }

    /** The policy's match condition and validations, compiled once; each evaluated as the API server does. */
    private static final class AdmissionPolicy {

        private final CelRuntime.Program condition;
        private final List<Map.Entry<String, CelRuntime.Program>> validations = new ArrayList<>();

        AdmissionPolicy(ObjectNode policy) {
            CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .addVar("request", SimpleType.DYN)
                    .addVar("object", SimpleType.DYN)
                    .addVar("oldObject", SimpleType.DYN)
                    .build();
            CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
            try {
                assertThat(policy.at("/spec/matchConditions").size()).isEqualTo(1);
                condition = runtime.createProgram(compile(compiler, policy.at("/spec/matchConditions/0/expression")));
                for (JsonNode validation : policy.at("/spec/validations")) {
                    validations.add(Map.entry(validation.path("message").asText(),
                            runtime.createProgram(compile(compiler, validation.path("expression")))));
                }
            } catch (Exception e) {
                throw new AssertionError("the policy's CEL does not compile: " + e.getMessage(), e);
            }
        }

        private static CelAbstractSyntaxTree compile(CelCompiler compiler, JsonNode expression) throws Exception {
            return compiler.compile(expression.asText()).getAst();
        }

        boolean applies(Map<String, Object> user, ObjectNode oldPod, ObjectNode newPod) {
            return evaluate(condition, user, oldPod, newPod);
        }

        /** The messages of the validations that fail, as the API server would refuse the update with them. */
        List<String> denials(Map<String, Object> user, ObjectNode oldPod, ObjectNode newPod) {
            assertThat(applies(user, oldPod, newPod)).as("the policy applies to the transcoder").isTrue();
            List<String> denied = new ArrayList<>();
            for (Map.Entry<String, CelRuntime.Program> validation : validations) {
                if (!evaluate(validation.getValue(), user, oldPod, newPod)) {
                    denied.add(validation.getKey());
                }
            }
            return denied;
        }

        /** An evaluation error counts as a refusal, as with failurePolicy Fail. */
        private static boolean evaluate(CelRuntime.Program program, Map<String, Object> user, ObjectNode oldPod,
                                        ObjectNode newPod) {
            try {
                return Boolean.TRUE.equals(program.eval(Map.of(
                        "request", Map.of("userInfo", user),
                        "object", Kustomize.YAML.convertValue(newPod, Map.class),
                        "oldObject", Kustomize.YAML.convertValue(oldPod, Map.class))));
            } catch (Exception e) {
                return false;
            }
        }
    }

    /** The user a token issued to the transcoder's pod authenticates as. */
    private static Map<String, Object> transcoder(String podName) {
        Map<String, Object> extra = new HashMap<>();
        extra.put("authentication.kubernetes.io/pod-name", List.of(podName));
        extra.put("authentication.kubernetes.io/pod-uid", List.of("3b2f0c1e-5f5e-4c36-9a38-0f6c7c1d2e4a"));
        return Map.of("username", "system:serviceaccount:video-backend:transcoder-service", "extra", extra);
    }

    private static Map<String, Object> withoutPodName(Map<String, Object> user) {
        return Map.of("username", user.get("username"), "extra", Map.of());
    }

    /** The transcoder's running pod, as the API server holds it, changed by {@code change}. */
    private static ObjectNode pod(Consumer<ObjectNode> change) {
        ObjectNode pod = (ObjectNode) Kustomize.YAML.createObjectNode();
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("name", POD).put("namespace", "video-backend");
        metadata.putObject("labels").put("app.kubernetes.io/name", "transcoder-service")
                .put("pod-template-hash", "7d9f");
        metadata.putArray("ownerReferences").addObject().put("kind", "ReplicaSet")
                .put("name", "transcoder-service-7d9f").put("controller", true);
        PodSpec spec = Manifests.overlay("prod").deployment("transcoder-service").getSpec().getTemplate().getSpec();
        pod.set("spec", Kustomize.YAML.valueToTree(spec));
        change.accept(pod);
        return pod;
    }

    private static ObjectNode pod() {
        return pod(p -> {
        });
    }

    private static void annotate(ObjectNode pod, String key, String value) {
        pod.with("metadata").with("annotations").put(key, value);
    }

    private static Volume tokenVolume(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getProjected() != null && v.getProjected().getSources().stream()
                        .anyMatch(s -> s.getServiceAccountToken() != null))
                .findFirst().orElse(null);
    }

    private static ObjectNode only(Manifests manifests, String kind) {
        List<ObjectNode> found = manifests.raw.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }
}
