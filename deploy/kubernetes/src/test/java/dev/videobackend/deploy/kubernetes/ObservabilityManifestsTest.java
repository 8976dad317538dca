package dev.videobackend.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring resources (base/monitoring): the monitors scrape the services' real ports and path; every alert
 * and dashboard query is well formed and names only metrics the services expose, as listed in
 * {@code src/test/resources/metrics/}, lists which each service's own test finds in a real scrape
 * (CatalogObservabilityTest, JobObservabilityTest); each alert has its runbook entry in docs/operations.md.
 */
class ObservabilityManifestsTest {

    private static final Path METRIC_LISTS = Manifests.KUBERNETES_DIR.resolve("src/test/resources/metrics");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

    @EachOverlay
    void theMonitorsScrapeEachServicesMetricsPort(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        ObjectNode serviceMonitor = only(manifests.custom("ServiceMonitor"));
        Service catalog = manifests.named(Service.class, "catalog-service");
        assertThat(matches(serviceMonitor.at("/spec/selector/matchLabels"), catalog.getMetadata().getLabels()))
                .isTrue();
        assertThat(serviceMonitor.at("/spec/endpoints")).singleElement().satisfies(endpoint -> {
            assertThat(catalog.getSpec().getPorts()).extracting(ServicePort::getName)
                    .contains(endpoint.path("port").asText());
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        });

        ObjectNode podMonitor = only(manifests.custom("PodMonitor"));
        var transcoder = manifests.deployment("transcoder-service").getSpec().getTemplate();
        assertThat(matches(podMonitor.at("/spec/selector/matchLabels"), transcoder.getMetadata().getLabels()))
                .isTrue();
        assertThat(podMonitor.at("/spec/podMetricsEndpoints")).singleElement().satisfies(endpoint -> {
            assertThat(transcoder.getSpec().getContainers().get(0).getPorts()).extracting(ContainerPort::getName)
                    .contains(endpoint.path("port").asText());
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        });
    }

    @EachOverlay
    void bothServicesLogJsonAndExportTraces(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        for (String service : ServiceConfig.services()) {
            var properties = ServiceConfig.load(manifests.configMap(service + "-config").getData()
                    .get("application.properties"));
            assertThat(properties.getProperty("quarkus.log.console.json.enabled")).as(service).isEqualTo("true");
            assertThat(properties.getProperty("quarkus.otel.sdk.disabled")).as(service).isEqualTo("false");
            assertThat(properties.getProperty("quarkus.otel.exporter.otlp.traces.endpoint")).as(service)
                    .startsWith("http://opentelemetry-collector.monitoring:4317");
        }
    }

    @Test
    void everyAlertIsWellFormedNamesRealMetricsAndHasARunbookEntry() {
        Set<String> exposed = exposedMetrics();
        String runbook = ServiceConfig.read(Manifests.PROJECT_ROOT.resolve("docs/operations.md"));
        List<JsonNode> rules = new ArrayList<>();
        only(Manifests.overlay("prod").custom("PrometheusRule")).at("/spec/groups")
                .forEach(group -> group.path("rules").forEach(rules::add));
        assertThat(rules).extracting(rule -> rule.path("alert").asText()).contains("CatalogOutboxStuck",
                "CatalogEventsDeadLettered", "CatalogReadLatencyHigh", "CatalogFileDeletionsFailing",
                "TranscodeFailureRateHigh", "TranscodeLagGrowingAtCapacity", "TranscodeRequestsDeadLettered",
                "TranscodePoisonInput");
        for (JsonNode rule : rules) {
            String alert = rule.path("alert").asText();
            String expr = rule.path("expr").asText();
            assertWellFormed(alert, expr);
            assertThat(metricNames(expr)).as("%s's metrics", alert).isNotEmpty().isSubsetOf(exposed);
            assertThat(rule.at("/annotations/runbook_url").asText())
                    .endsWith("docs/operations.md#" + alert.toLowerCase());
            assertThat(runbook).as("docs/operations.md has a section for %s", alert).contains("### " + alert + "\n");
        }
    }

    @Test
    void everyDashboardQueryIsWellFormedAndNamesRealMetrics() throws IOException {
        Set<String> exposed = exposedMetrics();
        var dashboard = Manifests.overlay("prod").configMap("video-backend-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("video-backend.json"));
        List<String> queries = new ArrayList<>();
        json.path("panels").forEach(panel -> panel.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        assertThat(queries).hasSizeGreaterThan(10).allSatisfy(expr -> {
            assertWellFormed("the dashboard", expr);
            assertThat(metricNames(expr)).as(expr).isNotEmpty().isSubsetOf(exposed);
        });
    }

    @Test
    void theMetricNameCheckSeesMetricsNotFunctionsLabelsOrDurations() {
        assertThat(metricNames("sum by (code) (increase(a_total{code!=\"X\", b=~\"c.*\"}[30m])) / ignoring(code)"
                + " group_left() sum(rate(b_seconds_bucket[5m:1m])) > 0.1 and on(pod) c")).containsExactlyInAnyOrder(
                "a_total", "b_seconds_bucket", "c");
    }

    /**
     * Brackets, braces and parentheses nest and close, and strings end: a structural check of PromQL, not a full
     * parse (Prometheus itself, or promtool, refuses the rest when the rule is loaded).
     */
    private static void assertWellFormed(String where, String expr) {
        String code = STRING.matcher(expr).replaceAll("\"\"");
        assertThat(code.replace("\"\"", "")).as("%s: an unterminated string in %s", where, expr)
                .doesNotContain("\"").doesNotContain("'");
        Deque<Character> open = new ArrayDeque<>();
        for (char c : code.toCharArray()) {
            switch (c) {
                case '(', '[', '{' -> open.push(c);
                case ')', ']', '}' -> {
                    char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
                    assertThat(open).as("%s: %s closes what is not open in %s", where, c, expr).isNotEmpty();
                    assertThat(open.pop()).as("%s: %s in %s", where, c, expr).isEqualTo(expected);
                }
                default -> {
                }
            }
        }
        assertThat(open).as("%s: unclosed in %s", where, expr).isEmpty();
    }

    /** The metric names a PromQL expression selects: identifiers left once strings, matchers and groupings go. */
    static Set<String> metricNames(String expr) {
        String code = STRING.matcher(expr).replaceAll("\"\"");
        code = code.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        code = GROUPING.matcher(code).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(code);
        while (identifier.find()) {
            String name = identifier.group();
            boolean function = code.substring(identifier.end()).stripLeading().startsWith("(");
            if (!function && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    private static Set<String> exposedMetrics() {
        Set<String> names = new HashSet<>();
        try (Stream<Path> lists = Files.list(METRIC_LISTS)) {
            lists.forEach(list -> ServiceConfig.read(list).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(names::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(names).hasSizeGreaterThan(20);
        return names;
    }

    private static boolean matches(JsonNode matchLabels, Map<String, String> labels) {
        assertThat(matchLabels.size()).isPositive();
        List<String> mismatches = new ArrayList<>();
        matchLabels.fields().forEachRemaining(label -> {
            if (!label.getValue().asText().equals(labels.get(label.getKey()))) {
                mismatches.add(label.getKey());
            }
        });
        return mismatches.isEmpty();
    }

    private static ObjectNode only(List<ObjectNode> resources) {
        assertThat(resources).hasSize(1);
        return resources.get(0);
    }
}
