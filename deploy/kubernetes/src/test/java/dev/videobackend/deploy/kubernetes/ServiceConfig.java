package dev.videobackend.deploy.kubernetes;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service really reads, from its source tree: the keys and values of its application.properties and the
 * properties (with their defaults) of its {@code @ConfigMapping} interfaces.
 */
final class ServiceConfig {

    /**
     * Properties the manifests set that neither file declares: read by Quarkus or by the Kafka clients (the connector
     * passes every kafka.* property to each channel's client), documented in their references.
     */
    static final Set<String> FRAMEWORK_PROPERTIES = Set.of(
            "kafka.security.protocol",
            "kafka.sasl.mechanism",
            "kafka.sasl.jaas.config",
            "kafka.ssl.truststore.type",
            "kafka.ssl.truststore.location",
            "quarkus.shutdown.timeout",
            "quarkus.datasource.reactive.postgresql.ssl-mode",
            "quarkus.datasource.reactive.hostname-verification-algorithm",
            "quarkus.datasource.reactive.trust-certificate-pem",
            "quarkus.datasource.reactive.trust-certificate-pem.certs",
            "quarkus.datasource.jdbc.additional-jdbc-properties.sslmode",
            "quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert",
            // MicroProfile JWT's audience check, which smallrye-jwt reads whatever the application declares.
            "mp.jwt.verify.audiences",
            "smallrye.messaging.worker.transcode-jobs.max-concurrency",
            // Where traces go and the share of them kept (quarkus-opentelemetry).
            "quarkus.otel.exporter.otlp.traces.endpoint",
            "quarkus.otel.traces.sampler.arg",
            // The Quarkus Amazon S3 client's, with media in a bucket (overlays/s3).
            "quarkus.s3.aws.region",
            "quarkus.s3.endpoint-override",
            "quarkus.s3.path-style-access");

    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
    private static final Pattern INTERFACE = Pattern.compile("interface (\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile(
            "((?:@\\w+(?:\\([^)]*\\))?\\s*)*)([\\w<>, ?.]+?)\\s+(\\w+)\\(\\)\\s*;");
    private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\(\"([^\"]*)\"\\)");

    final String artifactId;
    /** application.properties without profile-specific keys. */
    final Map<String, String> properties = new HashMap<>();
    /** {@code @ConfigMapping} properties with their defaults (empty when there is none). */
    final Map<String, Optional<String>> mappedProperties = new HashMap<>();
    private final Set<String> profileKeys = new HashSet<>();

    private ServiceConfig(String artifactId) {
        this.artifactId = artifactId;
        Path module = Manifests.PROJECT_ROOT.resolve(artifactId);
        Properties loaded = load(read(module.resolve("src/main/resources/application.properties")));
        loaded.stringPropertyNames().forEach(key -> {
            if (key.startsWith("%")) {
                profileKeys.add(key.substring(key.indexOf('.') + 1));
            } else {
                properties.put(key, loaded.getProperty(key));
            }
        });
        try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
            sources.filter(p -> p.toString().endsWith(".java")).map(ServiceConfig::read)
                    .filter(source -> CONFIG_MAPPING.matcher(source).find())
                    .forEach(this::addMapping);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Map<String, ServiceConfig> SERVICES = new ConcurrentHashMap<>();

    /** Read once per service: the tests only read it. */
    static ServiceConfig of(String artifactId) {
        return SERVICES.computeIfAbsent(artifactId, ServiceConfig::new);
    }

    /** Whether the service reads this property: declared by it, by a mapping, or by its frameworks (above). */
    boolean reads(String property) {
        return properties.containsKey(property) || profileKeys.contains(property)
                || mappedProperties.containsKey(property) || FRAMEWORK_PROPERTIES.contains(property);
    }

    /** The property's value in application.properties, else its mapping's default. */
    String value(String property) {
        String value = properties.get(property);
        if (value == null) {
            value = mappedProperties.getOrDefault(property, Optional.empty()).orElse(null);
        }
        if (value == null) {
            throw new IllegalArgumentException(artifactId + " has no value for " + property);
        }
        return value;
    }

    /** MicroProfile Config's environment-variable name of a property: non-alphanumerics to '_', upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    static Properties load(String text) {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(text)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private void addMapping(String source) {
        String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Matcher prefix = CONFIG_MAPPING.matcher(code);
        prefix.find();
        Map<String, String> bodies = interfaceBodies(code);
        String root = INTERFACE.matcher(code.substring(prefix.end())).results().findFirst().orElseThrow().group(1);
        addGroup(prefix.group(1), bodies.get(root), bodies);
    }

    private void addGroup(String prefix, String body, Map<String, String> bodies) {
        String ownMembers = body;
        for (String nested : bodies.values()) {
            if (nested != body) {
                ownMembers = ownMembers.replace(nested, "");
            }
        }
        Matcher method = METHOD.matcher(ownMembers);
        while (method.find()) {
            String type = method.group(2).trim();
            String name = prefix + "." + kebab(method.group(3));
            if (bodies.containsKey(type)) {
                addGroup(name, bodies.get(type), bodies);
            } else {
                Matcher defaultValue = WITH_DEFAULT.matcher(method.group(1));
                mappedProperties.put(name, defaultValue.find() ? Optional.of(defaultValue.group(1)) : Optional.empty());
            }
        }
    }

    /** Each interface's body (between its braces), by simple name. */
    private static Map<String, String> interfaceBodies(String code) {
        Map<String, String> bodies = new HashMap<>();
        Matcher header = INTERFACE.matcher(code);
        while (header.find()) {
            int depth = 1;
            int i = header.end();
            for (; depth > 0; i++) {
                char c = code.charAt(i);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            bodies.put(header.group(1), code.substring(header.end(), i - 1));
        }
        return bodies;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    static List<String> services() {
        return List.of("catalog-service", "transcoder-service");
    }
}
