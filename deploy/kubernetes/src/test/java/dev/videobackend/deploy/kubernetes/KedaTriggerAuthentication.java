package dev.videobackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;

/** The fields of KEDA's {@code TriggerAuthentication} (keda.sh/v1alpha1) these manifests use; strict like the others. */
record KedaTriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    record Spec(List<SecretTargetRef> secretTargetRef) {
    }

    record SecretTargetRef(String parameter, String name, String key) {
    }
}
