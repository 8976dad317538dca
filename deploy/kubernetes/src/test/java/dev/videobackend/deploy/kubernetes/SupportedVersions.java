package dev.videobackend.deploy.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The table of supported versions in docs/deploy.md, which the schema tests hold the manifests to. */
final class SupportedVersions {

    /** One row: the oldest and newest supported versions, and the folder of their vendored schemas, if any. */
    record Component(String name, String oldest, String newest, Optional<String> schemas) {

        List<ApiSchemas> bounds() {
            String provider = schemas.orElseThrow();
            return List.of(ApiSchemas.load(provider, oldest), ApiSchemas.load(provider, newest));
        }
    }

    private static final String HEADING = "## Supported versions";
    private static final Pattern ROW = Pattern.compile(
            "^\\| ([^|]+?) \\| `([^`]+)` \\| `([^`]+)` \\| (?:`schemas/([a-z-]+)/`|([^|]+?)) \\|$", Pattern.MULTILINE);

    private SupportedVersions() {
    }

    static List<Component> read() {
        String guide = ServiceConfig.read(Manifests.PROJECT_ROOT.resolve("docs/deploy.md"));
        int start = guide.indexOf(HEADING);
        if (start < 0) {
            throw new IllegalStateException("docs/deploy.md has no '" + HEADING + "' section");
        }
        int end = guide.indexOf("\n## ", start + HEADING.length());
        Matcher row = ROW.matcher(guide.substring(start, end < 0 ? guide.length() : end));
        List<Component> components = new ArrayList<>();
        while (row.find()) {
            components.add(new Component(row.group(1), row.group(2), row.group(3), Optional.ofNullable(row.group(4))));
        }
        return components;
    }

    static Component named(String name) {
        return read().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no row " + name + " in docs/deploy.md's supported versions"));
    }
}
