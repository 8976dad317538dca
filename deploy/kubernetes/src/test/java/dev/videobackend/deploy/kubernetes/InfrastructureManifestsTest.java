package dev.videobackend.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.videobackend.deploy.kubernetes.ServiceManifestsTest.mountedProperties;
import static dev.videobackend.deploy.kubernetes.ServiceManifestsTest.onlyContainer;
import static org.assertj.core.api.Assertions.assertThat;

/** Kafka, PostgreSQL, KEDA and the network policies agree with what the services use and with each other. */
class InfrastructureManifestsTest {

    private static final Pattern CONTRACT_TOPIC = Pattern.compile("^\\| `(video\\.[a-z.]+)` \\|", Pattern.MULTILINE);
    private static final Pattern CHANNEL_TOPIC =
            Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([\\w-]+)\\.(dead-letter-queue\\.)?topic");
    private static final String DNS_NAMESPACE = "kube-system";
    /** The address NodeLocal DNSCache answers on, on every node. */
    private static final String NODE_LOCAL_DNS = "169.254.20.10/32";
    private static final String BARMAN_CLOUD_PLUGIN = "barman-cloud.cloudnative-pg.io";

    /** The topics a service writes and reads, and the consumer groups it reads them in. */
    record KafkaUse(Set<String> writes, Set<String> reads, Set<String> groups) {

        static KafkaUse of(ServiceConfig config) {
            Set<String> writes = new HashSet<>();
            Set<String> reads = new HashSet<>();
            Set<String> groups = new HashSet<>();
            config.properties.forEach((key, value) -> {
                Matcher channel = CHANNEL_TOPIC.matcher(key);
                if (!channel.matches()) {
                    return;
                }
                if (channel.group(1).equals("incoming") && channel.group(3) == null) {
                    reads.add(value);
                    groups.add(config.properties.get("mp.messaging.incoming." + channel.group(2) + ".group.id"));
                } else {
                    writes.add(value);
                }
            });
            // The catalog's outbox names each record's topic itself (catalog.outbox.*-topic).
            config.mappedProperties.forEach((key, defaultValue) -> {
                if (key.endsWith("-topic")) {
                    writes.add(defaultValue.orElseThrow());
                }
            });
            return new KafkaUse(writes, reads, groups);
        }

        Set<String> topics() {
            Set<String> all = new HashSet<>(writes);
            all.addAll(reads);
            return all;
        }
    }

    @EachOverlay
    void everyTopicOfTheContractAndOfTheServicesIsReplicatedAndRetained(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        Map<String, JsonNode> topics = topics(manifests);
        Set<String> contract = CONTRACT_TOPIC.matcher(ServiceConfig.read(Manifests.PROJECT_ROOT.resolve("docs/events.md")))
                .results().map(m -> m.group(1)).collect(Collectors.toSet());
        assertThat(contract).hasSize(6);
        Set<String> used = new HashSet<>();
        ServiceConfig.services().forEach(service -> used.addAll(KafkaUse.of(ServiceConfig.of(service)).topics()));

        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(contract).containsAll(used);
        assertThat(topics.values()).allSatisfy(spec -> {
            assertThat(spec.path("replicas").asInt()).isEqualTo(3);
            assertThat(spec.path("config").path("min.insync.replicas").asInt()).isEqualTo(2);
            assertThat(spec.path("config").path("retention.ms").asLong()).isPositive();
        });
    }

    @EachOverlay
    void eachServiceMayUseExactlyItsOwnTopicsAndGroups(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        for (String service : ServiceConfig.services()) {
            KafkaUse use = KafkaUse.of(ServiceConfig.of(service));
            ObjectNode user = user(manifests, kafkaUserOf(manifests.deployment(service)));
            assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            List<JsonNode> acls = new ArrayList<>();
            user.at("/spec/authorization/acls").forEach(acls::add);

            use.writes().forEach(topic -> assertThat(allows(acls, "topic", topic, "Write")).as(service + " writes " + topic).isTrue());
            use.reads().forEach(topic -> assertThat(allows(acls, "topic", topic, "Read")).as(service + " reads " + topic).isTrue());
            use.groups().forEach(group -> assertThat(allows(acls, "group", group, "Read")).as(service + " group " + group).isTrue());
            // Least privilege: no ACL names a topic the service does not use.
            assertThat(acls).filteredOn(acl -> acl.at("/resource/type").asText().equals("topic"))
                    .extracting(acl -> acl.at("/resource/name").asText())
                    .allMatch(use.topics()::contains);
        }
    }

    @EachOverlay
    void theServicesReachTheKafkaListenerTheWayItIsSecured(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        ObjectNode kafka = only(manifests, "Kafka");
        String cluster = kafka.at("/metadata/name").asText();
        // Strimzi 0.48 and later run KRaft with node pools only and ignore these annotations.
        assertThat(kafka.path("metadata").path("annotations").fieldNames()).toIterable()
                .noneMatch(Set.of("strimzi.io/kraft", "strimzi.io/node-pools")::contains);
        assertThat(manifests.raw).filteredOn(Manifests::isCustomResource)
                .filteredOn(r -> r.path("apiVersion").asText().startsWith("kafka.strimzi.io/"))
                .allSatisfy(r -> assertThat(r.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1"));
        assertThat(kafka.at("/spec/kafka/authorization/type").asText()).isEqualTo("simple");
        JsonNode listener = kafka.at("/spec/kafka/listeners/0");
        assertThat(kafka.at("/spec/kafka/listeners").size()).isEqualTo(1);
        assertThat(listener.path("tls").asBoolean()).isTrue();
        assertThat(listener.at("/authentication/type").asText()).isEqualTo("scram-sha-512");

        ObjectNode pool = only(manifests, "KafkaNodePool");
        assertThat(pool.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo(cluster);
        assertThat(pool.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(pool.at("/spec/roles").toString()).isEqualTo("[\"controller\",\"broker\"]");
        manifests.raw.stream().filter(r -> Set.of("KafkaTopic", "KafkaUser").contains(r.path("kind").asText()))
                .forEach(r -> assertThat(r.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo(cluster));

        for (String service : ServiceConfig.services()) {
            Deployment deployment = manifests.deployment(service);
            Properties config = mountedProperties(manifests, deployment);
            assertThat(config.getProperty("kafka.bootstrap.servers"))
                    .isEqualTo(cluster + "-kafka-bootstrap:" + listener.path("port").asInt());
            assertThat(config.getProperty("kafka.security.protocol")).isEqualTo("SASL_SSL");
            assertThat(config.getProperty("kafka.sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
            assertThat(config.getProperty("kafka.ssl.truststore.type")).isEqualTo("PEM");
            String truststore = config.getProperty("kafka.ssl.truststore.location");
            assertThat(secretMountedAt(deployment, truststore)).isEqualTo(cluster + "-cluster-ca-cert");
        }
    }

    @EachOverlay
    void kedaScalesTheTranscoderOnItsGroupsLagUpToThePartitions(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        ObjectNode scaledObject = manifests.onlyCustom("ScaledObject");
        ServiceConfig transcoder = ServiceConfig.of("transcoder-service");
        String requests = transcoder.value("mp.messaging.incoming.transcode-requests.topic");
        String group = transcoder.value("mp.messaging.incoming.transcode-requests.group.id");

        assertThat(manifests.deployment(scaledObject.at("/spec/scaleTargetRef/name").asText()).getMetadata().getName())
                .isEqualTo("transcoder-service");
        assertThat(scaledObject.at("/spec/minReplicaCount").asInt()).isEqualTo(1);
        // KEDA applies cooldownPeriod only when scaling to zero: with a minimum of 1 the HPA's behaviour rules, and it
        // waits for the lag to have stayed lower for a while before removing a transcoder, one at a time.
        assertThat(scaledObject.at("/spec/cooldownPeriod").isMissingNode()).isTrue();
        JsonNode scaleDown = scaledObject.at("/spec/advanced/horizontalPodAutoscalerConfig/behavior/scaleDown");
        assertThat(scaleDown.path("stabilizationWindowSeconds").asInt()).isGreaterThanOrEqualTo(300);
        assertThat(scaleDown.path("policies")).singleElement().satisfies(policy -> {
            assertThat(policy.path("type").asText()).isEqualTo("Pods");
            assertThat(policy.path("value").asInt()).isEqualTo(1);
        });
        assertThat(scaledObject.at("/spec/triggers").size()).isEqualTo(1);
        JsonNode trigger = scaledObject.at("/spec/triggers/0");
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        JsonNode lag = trigger.path("metadata");
        assertThat(lag.path("topic").asText()).isEqualTo(requests);
        assertThat(lag.path("consumerGroup").asText()).isEqualTo(group);
        assertThat(lag.path("sasl").asText()).isEqualTo("scram_sha512");
        assertThat(lag.path("tls").asText()).isEqualTo("enable");
        String kafka = only(manifests, "Kafka").at("/metadata/name").asText();
        assertThat(lag.path("bootstrapServers").asText()).startsWith(kafka + "-kafka-bootstrap.");
        assertThat(scaledObject.at("/spec/maxReplicaCount").asInt())
                .isBetween(1, topics(manifests).get(requests).path("partitions").asInt());

        ObjectNode auth = manifests.custom("TriggerAuthentication").stream()
                .filter(a -> a.at("/metadata/name").asText().equals(trigger.at("/authenticationRef/name").asText()))
                .findFirst().orElseThrow();
        List<JsonNode> secretRefs = new ArrayList<>();
        auth.at("/spec/secretTargetRef").forEach(secretRefs::add);
        assertThat(secretRefs).extracting(ref -> ref.path("parameter").asText())
                .containsExactlyInAnyOrder("username", "password", "ca");
        ObjectNode kedaUser = user(manifests, "keda-transcoder");
        List<JsonNode> acls = new ArrayList<>();
        kedaUser.at("/spec/authorization/acls").forEach(acls::add);
        assertThat(allows(acls, "topic", requests, "Describe")).isTrue();
        assertThat(allows(acls, "group", group, "Describe")).isTrue();
        assertThat(acls).allSatisfy(acl -> assertThat(acl.path("operations").toString()).isEqualTo("[\"Describe\"]"));
        assertThat(kedaUser.at("/spec/authentication/password/valueFrom/secretKeyRef/name").asText())
                .isEqualTo(secretRefs.get(0).path("name").asText());
    }

    @EachOverlay
    void theCatalogUsesTheDatabaseAndCredentialsOfTheCloudNativePgCluster(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        ObjectNode cluster = manifests.onlyCustom("Cluster");
        String name = cluster.at("/metadata/name").asText();
        assertThat(cluster.at("/spec/instances").asInt()).isEqualTo(3);

        Deployment catalog = manifests.deployment("catalog-service");
        Properties config = mountedProperties(manifests, catalog);
        String database = cluster.at("/spec/bootstrap/initdb/database").asText();
        assertThat(URI.create(config.getProperty("quarkus.datasource.reactive.url")))
                .satisfies(url -> {
                    assertThat(url.getHost()).isEqualTo(name + "-rw");
                    assertThat(url.getPort()).isEqualTo(5432);
                    assertThat(url.getPath()).isEqualTo("/" + database);
                });
        assertThat(config.getProperty("quarkus.datasource.jdbc.url"))
                .isEqualTo("jdbc:" + config.getProperty("quarkus.datasource.reactive.url"));
        // TLS with the host name verified against CloudNativePG's server CA, for the application and for Flyway.
        String ca = config.getProperty("quarkus.datasource.reactive.trust-certificate-pem.certs");
        assertThat(config.getProperty("quarkus.datasource.reactive.postgresql.ssl-mode")).isEqualTo("verify-full");
        assertThat(config.getProperty("quarkus.datasource.reactive.hostname-verification-algorithm")).isEqualTo("HTTPS");
        assertThat(config.getProperty("quarkus.datasource.reactive.trust-certificate-pem")).isEqualTo("true");
        assertThat(config.getProperty("quarkus.datasource.jdbc.additional-jdbc-properties.sslmode"))
                .isEqualTo("verify-full");
        assertThat(config.getProperty("quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert")).isEqualTo(ca);
        assertThat(secretMountedAt(catalog, ca)).isEqualTo(name + "-ca");
        assertThat(secretItemMountedAt(catalog, ca)).isEqualTo("ca.crt");
        Map<String, EnvVar> env = onlyContainer(catalog).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> e));
        for (String key : List.of("username", "password")) {
            EnvVar variable = env.get("QUARKUS_DATASOURCE_" + key.toUpperCase());
            assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(name + "-app");
            assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key);
        }
    }

    @Test
    void backupsRunInProdOnlyThroughTheBarmanCloudPlugin() {
        Manifests prod = Manifests.overlay("prod");
        ObjectNode cluster = prod.onlyCustom("Cluster");
        String name = cluster.at("/metadata/name").asText();
        ObjectNode store = prod.onlyCustom("ObjectStore");
        assertThat(cluster.at("/spec/plugins")).singleElement().satisfies(plugin -> {
            assertThat(plugin.path("name").asText()).isEqualTo(BARMAN_CLOUD_PLUGIN);
            assertThat(plugin.path("isWALArchiver").asBoolean()).isTrue();
            assertThat(plugin.at("/parameters/barmanObjectName").asText()).isEqualTo(store.at("/metadata/name").asText());
        });
        // The path is this cluster's alone: CloudNativePG refuses to archive where another cluster's WAL lies.
        assertThat(store.at("/spec/configuration/destinationPath").asText()).startsWith("s3://").endsWith("/" + name);
        assertThat(store.at("/spec/retentionPolicy").asText()).isEqualTo("30d");
        ObjectNode schedule = prod.onlyCustom("ScheduledBackup");
        assertThat(schedule.at("/spec/cluster/name").asText()).isEqualTo(name);
        assertThat(schedule.at("/spec/method").asText()).isEqualTo("plugin");
        assertThat(schedule.at("/spec/pluginConfiguration/name").asText()).isEqualTo(BARMAN_CLOUD_PLUGIN);

        Manifests dev = Manifests.overlay("dev");
        assertThat(dev.custom("ObjectStore")).isEmpty();
        assertThat(dev.custom("ScheduledBackup")).isEmpty();
        assertThat(dev.onlyCustom("Cluster").at("/spec/plugins").isMissingNode()).isTrue();
        for (Manifests manifests : List.of(prod, dev)) {
            // The in-tree barmanObjectStore is deprecated and goes away in CloudNativePG 1.31.
            assertThat(manifests.onlyCustom("Cluster").at("/spec/backup").isMissingNode()).isTrue();
            assertThat(manifests.raw).noneMatch(resource -> resource.toString().contains("barmanObjectStore"));
        }
    }

    @EachOverlay
    void everyNamespacedResourceLivesInTheVideoBackendNamespace(String overlay) {
        assertThat(Manifests.overlay(overlay).raw).filteredOn(r -> !r.path("kind").asText().equals("Namespace"))
                .allSatisfy(r -> assertThat(r.at("/metadata/namespace").asText()).as(Kustomize.id(r))
                        .isEqualTo("video-backend"))
                .allSatisfy(r -> assertThat(r.at("/metadata/labels/app.kubernetes.io~1part-of").asText())
                        .as(Kustomize.id(r)).isEqualTo("video-backend"));
    }

    @EachOverlay
    void networkPoliciesSelectRealPodsAndOpenOnlyWhatEachServiceUses(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        List<Map<String, String>> pods = podLabels(manifests);
        for (NetworkPolicy policy : manifests.all(NetworkPolicy.class)) {
            LabelSelector selector = policy.getSpec().getPodSelector();
            if (!selector.getMatchLabels().isEmpty() || !selector.getMatchExpressions().isEmpty()) {
                assertThat(pods).as(policy.getMetadata().getName()).anyMatch(labels -> matches(selector, labels));
            }
        }
        NetworkPolicy defaultDeny = manifests.named(NetworkPolicy.class, "default-deny");
        assertThat(defaultDeny.getSpec().getPodSelector().getMatchLabels()).isEmpty();
        assertThat(defaultDeny.getSpec().getIngress()).isEmpty();

        int catalogPort = onlyContainer(manifests.deployment("catalog-service")).getPorts().get(0).getContainerPort();
        List<NetworkPolicy> catalogIngress = policiesFor(manifests, "catalog-service", "Ingress").stream()
                .filter(policy -> !policy.getMetadata().getName().equals("services-metrics-scrape")).toList();
        assertThat(catalogIngress).flatExtracting(p -> p.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(catalogPort);
            // One peer with both selectors: the controller's pods in its namespace, nothing else there.
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .containsExactly(Map.entry("kubernetes.io/metadata.name", "ingress-nginx"));
                assertThat(peer.getPodSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                        "app.kubernetes.io/name", "ingress-nginx", "app.kubernetes.io/component", "controller"));
            });
        });

        String kafka = only(manifests, "Kafka").at("/metadata/name").asText();
        int kafkaPort = only(manifests, "Kafka").at("/spec/kafka/listeners/0/port").asInt();
        String database = manifests.onlyCustom("Cluster").at("/metadata/name").asText();
        List<String> objectStore = overlay.equals("s3") ? List.of("object-store:443") : List.of();
        assertThat(egress(manifests, "transcoder-service")).containsExactlyInAnyOrderElementsOf(concat(objectStore,
                "dns:53", "node-local-dns:53", "strimzi.io/cluster=" + kafka + ":" + kafkaPort,
                "kubernetes-api:443", "kubernetes-api:6443", "otel-collector:4317"));
        assertThat(egress(manifests, "catalog-service")).containsExactlyInAnyOrderElementsOf(concat(objectStore,
                "dns:53", "node-local-dns:53", "strimzi.io/cluster=" + kafka + ":" + kafkaPort,
                "cnpg.io/cluster=" + database + ":5432", "otel-collector:4317"));
        // Prometheus reaches each service on its HTTP port only.
        NetworkPolicy scrape = manifests.named(NetworkPolicy.class, "services-metrics-scrape");
        assertThat(scrape.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactlyInAnyOrder(catalogPort,
                    onlyContainer(manifests.deployment("transcoder-service")).getPorts().get(0).getContainerPort());
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"));
                assertThat(peer.getPodSelector().getMatchLabels())
                        .containsExactly(Map.entry("app.kubernetes.io/name", "prometheus"));
            });
        });
    }

    @EachOverlay
    void everySecretIsMadeByAnOperatorOrCreatedAsDocsDeployTells(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        Set<String> byOperators = new HashSet<>();
        manifests.raw.forEach(resource -> {
            String name = resource.at("/metadata/name").asText();
            switch (resource.path("kind").asText()) {
                case "KafkaUser" -> byOperators.add(name);
                case "Kafka" -> byOperators.add(name + "-cluster-ca-cert");
                case "Cluster" -> {
                    byOperators.add(name + "-app");
                    byOperators.add(name + "-ca");
                }
                default -> {
                }
            }
        });
        String guide = ServiceConfig.read(Manifests.PROJECT_ROOT.resolve("docs/deploy.md"));
        Set<String> referenced = new HashSet<>();
        manifests.raw.forEach(resource -> collectSecretNames(resource, referenced));
        assertThat(referenced).hasSizeGreaterThan(5).allSatisfy(secret -> assertThat(
                byOperators.contains(secret) || guide.contains("secret generic " + secret)
                        || guide.contains("secret tls " + secret))
                .as("Secret %s is made by an operator or created in docs/deploy.md", secret).isTrue());
    }

    /** Names of Secrets a resource refers to, wherever the field sits. */
    private static void collectSecretNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String key = field.getKey();
                JsonNode value = field.getValue();
                if (key.equals("secretName")) {
                    names.add(value.asText());
                } else if (Set.of("secretKeyRef", "accessKeyId", "secretAccessKey").contains(key)) {
                    names.add(value.path("name").asText());
                } else if (key.equals("secretTargetRef")) {
                    value.forEach(ref -> names.add(ref.path("name").asText()));
                } else {
                    collectSecretNames(value, names);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectSecretNames(element, names));
        }
    }

    private static List<String> concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all;
    }

    /**
     * Each egress rule of the service's policies as "peer:port": "dns" for the cluster's DNS pods, "node-local-dns"
     * for NodeLocal DNSCache's address, "kubernetes-api" for an address block on the API server's ports,
     * "object-store" for the S3 endpoint's addresses (overlays/s3), else the peer's cluster label.
     */
    private static Set<String> egress(Manifests manifests, String service) {
        Set<String> destinations = new HashSet<>();
        for (NetworkPolicy policy : policiesFor(manifests, service, "Egress")) {
            if (policy.getMetadata().getName().equals("services-s3-egress")) {
                policy.getSpec().getEgress().forEach(rule -> rule.getPorts()
                        .forEach(port -> destinations.add("object-store:" + port.getPort().getIntVal())));
                continue;
            }
            for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
                for (NetworkPolicyPeer peer : rule.getTo()) {
                    for (NetworkPolicyPort port : rule.getPorts()) {
                        destinations.add(peerName(peer, port.getPort().getIntVal()) + ":" + port.getPort().getIntVal());
                    }
                }
            }
        }
        return destinations;
    }

    private static String peerName(NetworkPolicyPeer peer, int port) {
        if (peer.getIpBlock() != null) {
            String cidr = peer.getIpBlock().getCidr();
            assertThat(cidr).as("a single address").endsWith("/32");
            if (cidr.equals(NODE_LOCAL_DNS) && port == 53) {
                return "node-local-dns";
            }
            assertThat(port).as("an address block only for the API server").isIn(443, 6443);
            return "kubernetes-api";
        }
        if (peer.getNamespaceSelector() != null && "monitoring".equals(
                peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                && "opentelemetry-collector".equals(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))) {
            return "otel-collector";
        }
        boolean dns = peer.getNamespaceSelector() != null && DNS_NAMESPACE.equals(
                peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                && "kube-dns".equals(peer.getPodSelector().getMatchLabels().get("k8s-app"));
        return dns ? "dns" : peer.getPodSelector().getMatchLabels().entrySet().stream()
                .filter(e -> e.getKey().endsWith("/cluster"))
                .map(e -> e.getKey() + "=" + e.getValue()).findFirst().orElseThrow();
    }

    private static List<NetworkPolicy> policiesFor(Manifests manifests, String service, String type) {
        Map<String, String> labels = manifests.deployment(service).getSpec().getTemplate().getMetadata().getLabels();
        return manifests.all(NetworkPolicy.class).stream()
                .filter(p -> p.getSpec().getPolicyTypes().contains(type))
                .filter(p -> matches(p.getSpec().getPodSelector(), labels))
                .toList();
    }

    /** The labels of every pod: the Deployments' templates, and the labels the operators put on theirs. */
    private static List<Map<String, String>> podLabels(Manifests manifests) {
        List<Map<String, String>> pods = new ArrayList<>();
        manifests.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getMetadata().getLabels()));
        manifests.raw.forEach(resource -> {
            String name = resource.at("/metadata/name").asText();
            switch (resource.path("kind").asText()) {
                case "Kafka" -> pods.add(Map.of("strimzi.io/cluster", name, "strimzi.io/broker-role", "true"));
                case "Cluster" -> pods.add(Map.of("cnpg.io/cluster", name));
                default -> {
                }
            }
        });
        return pods;
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        boolean matchLabels = labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
        for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
            String value = labels.get(requirement.getKey());
            boolean in = requirement.getValues().contains(value);
            boolean ok = switch (requirement.getOperator()) {
                case "In" -> in;
                case "NotIn" -> value != null && !in;
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException(requirement.getOperator());
            };
            matchLabels &= ok;
        }
        return matchLabels;
    }

    private static boolean allows(List<JsonNode> acls, String type, String name, String operation) {
        return acls.stream().anyMatch(acl -> {
            JsonNode resource = acl.path("resource");
            boolean prefix = resource.path("patternType").asText().equals("prefix");
            String pattern = resource.path("name").asText();
            // A group named with an expression (transcoder-control-${quarkus.uuid}) needs a prefix ACL.
            String literal = name.contains("${") ? null : name;
            boolean named = prefix ? name.startsWith(pattern) && !pattern.isEmpty()
                    : pattern.equals(literal);
            return resource.path("type").asText().equals(type) && named
                    && acl.path("operations").toString().contains("\"" + operation + "\"");
        });
    }

    /** The KafkaUser whose Secret holds the JAAS line the Deployment logs in with. */
    private static String kafkaUserOf(Deployment deployment) {
        return onlyContainer(deployment).getEnv().stream().filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG"))
                .findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName();
    }

    private static String secretMountedAt(Deployment deployment, String file) {
        Container container = onlyContainer(deployment);
        var mount = container.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/"))
                .findFirst().orElseThrow();
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow().getSecret().getSecretName();
    }

    /** The Secret key that a file under a Secret volume's mount comes from (only the listed items are there). */
    private static String secretItemMountedAt(Deployment deployment, String file) {
        Container container = onlyContainer(deployment);
        var mount = container.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/"))
                .findFirst().orElseThrow();
        String path = file.substring(mount.getMountPath().length() + 1);
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow().getSecret().getItems()
                .stream().filter(item -> item.getPath().equals(path)).findFirst().orElseThrow().getKey();
    }

    private static Map<String, JsonNode> topics(Manifests manifests) {
        return manifests.raw.stream().filter(r -> r.path("kind").asText().equals("KafkaTopic"))
                .collect(Collectors.toMap(r -> r.at("/spec/topicName").asText(r.at("/metadata/name").asText()),
                        r -> r.path("spec")));
    }

    private static ObjectNode user(Manifests manifests, String name) {
        return manifests.raw.stream().filter(r -> r.path("kind").asText().equals("KafkaUser"))
                .filter(r -> r.at("/metadata/name").asText().equals(name)).findFirst().orElseThrow();
    }

    private static ObjectNode only(Manifests manifests, String kind) {
        List<ObjectNode> found = manifests.raw.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }
}
