package dev.videobackend.deploy.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KustomizeTest {

    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              template:
                metadata:
                  labels: {app: app}
                spec:
                  containers:
                    - name: app
                      image: example/app:1
                      env:
                        - {name: A, value: a}
                        - {name: B, value: b}
                    - name: sidecar
                      image: example/sidecar:2
            """;

    @Test
    void refusesAKustomizationFieldItDoesNotImplement() throws IOException {
        write("app.yaml", DEPLOYMENT);
        write("kustomization.yaml", """
                resources: [app.yaml]
                configMapGenerator:
                  - name: generated
                    literals: [a=b]
                """);

        assertThatThrownBy(() -> Kustomize.build(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configMapGenerator");
    }

    @Test
    void refusesLabelsOnSelectorsAndPatchTargets() throws IOException {
        write("app.yaml", DEPLOYMENT);
        write("kustomization.yaml", """
                resources: [app.yaml]
                labels:
                  - pairs: {team: video}
                    includeSelectors: true
                """);
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("includeSelectors");

        write("kustomization.yaml", """
                resources: [app.yaml]
                patches:
                  - path: app.yaml
                    target: {kind: Deployment}
                """);
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("target");
    }

    @Test
    void mergesPatchesByNameRetagsImagesAndSetsNamespaceAndLabels() throws IOException {
        write("app.yaml", DEPLOYMENT);
        write("patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                spec:
                  replicas: 3
                  template:
                    spec:
                      containers:
                        - name: app
                          env:
                            - {name: B, value: patched}
                            - {name: C, value: c}
                """);
        write("kustomization.yaml", """
                namespace: videos
                resources: [app.yaml]
                patches:
                  - path: patch.yaml
                labels:
                  - pairs: {team: video}
                    includeTemplates: true
                images:
                  - name: example/app
                    newName: registry.example.com/app
                    newTag: "7"
                """);

        List<ObjectNode> resources = Kustomize.build(dir);

        assertThat(resources).hasSize(1);
        ObjectNode deployment = resources.get(0);
        assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo("videos");
        assertThat(deployment.at("/metadata/labels/team").asText()).isEqualTo("video");
        assertThat(deployment.at("/spec/template/metadata/labels").toString()).isEqualTo("{\"app\":\"app\",\"team\":\"video\"}");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(deployment.at("/spec/template/spec/containers").size()).isEqualTo(2);
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("registry.example.com/app:7");
        assertThat(deployment.at("/spec/template/spec/containers/1/image").asText()).isEqualTo("example/sidecar:2");
        assertThat(deployment.at("/spec/template/spec/containers/0/env").toString())
                .isEqualTo("[{\"name\":\"B\",\"value\":\"patched\"},{\"name\":\"C\",\"value\":\"c\"},{\"name\":\"A\",\"value\":\"a\"}]");
    }

    @Test
    void pinsImagesByDigestAsKustomizeDoes() throws IOException {
        write("app.yaml", DEPLOYMENT);
        write("kustomization.yaml", """
                resources: [app.yaml]
                images:
                  - name: example/app
                    newName: registry.example.com/app
                    newTag: "7"
                    digest: sha256:1111111111111111111111111111111111111111111111111111111111111111
                  - name: example/sidecar
                    digest: sha256:2222222222222222222222222222222222222222222222222222222222222222
                """);

        ObjectNode deployment = Kustomize.build(dir).get(0);

        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText()).isEqualTo(
                "registry.example.com/app:7@sha256:1111111111111111111111111111111111111111111111111111111111111111");
        // A digest alone replaces the tag.
        assertThat(deployment.at("/spec/template/spec/containers/1/image").asText()).isEqualTo(
                "example/sidecar@sha256:2222222222222222222222222222222222222222222222222222222222222222");
    }

    @Test
    void refusesAPatchOfAResourceThatIsNotThere() throws IOException {
        write("app.yaml", DEPLOYMENT);
        write("patch.yaml", DEPLOYMENT.replace("name: app\nspec", "name: other\nspec"));
        write("kustomization.yaml", """
                resources: [app.yaml]
                patches:
                  - path: patch.yaml
                """);

        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("Deployment/other");
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }
}
