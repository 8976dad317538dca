package dev.videobackend.transcoder.bench;

import java.util.Arrays;

/** The three ways of making the same ladder that the benchmark compares. */
enum Way {
    /** {@code LadderTranscoder} in this JVM, as the service runs it. */
    OURS("ours"),
    /** One {@code ffmpeg} process: decode once, {@code split} to every rung. */
    CLI_SPLIT("cli-split"),
    /** One {@code ffmpeg} process per rung, one after the other: what the service replaces. */
    CLI_PER_RUNG("cli-per-rung");

    private final String label;

    Way(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static Way named(String label) {
        return Arrays.stream(values()).filter(way -> way.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No benchmark way '" + label + "'; known: "
                        + Arrays.stream(values()).map(Way::label).toList()));
    }
}
