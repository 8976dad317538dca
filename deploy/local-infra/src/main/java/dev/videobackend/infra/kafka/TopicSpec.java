package dev.videobackend.infra.kafka;

import java.util.Arrays;
import java.util.List;

/** A topic to create: name and partition count (replication is always 1 on the single local broker). */
public record TopicSpec(String name, int partitions) {

    public TopicSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A topic needs a name");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic " + name + " needs at least one partition, got " + partitions);
        }
    }

    /** Parses {@code "name:partitions,name2:partitions"}; a name without {@code :n} gets one partition. */
    public static List<TopicSpec> parseList(String specs) {
        if (specs == null || specs.isBlank()) {
            return List.of();
        }
        return Arrays.stream(specs.split(","))
                .map(String::strip)
                .filter(spec -> !spec.isEmpty())
                .map(TopicSpec::parse)
                .toList();
    }

    private static TopicSpec parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            return new TopicSpec(spec, 1);
        }
        try {
            return new TopicSpec(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Topic spec must be name:partitions, got " + spec, e);
        }
    }
}
