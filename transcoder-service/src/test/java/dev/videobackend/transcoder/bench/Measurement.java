package dev.videobackend.transcoder.bench;

/** One timed run of one way: wall and CPU seconds, peak resident memory. */
record Measurement(double wallSeconds, double cpuSeconds, long peakRssBytes) {

    /** Runs one after the other: times add up, memory peaks do not. */
    Measurement then(Measurement next) {
        return new Measurement(wallSeconds + next.wallSeconds, cpuSeconds + next.cpuSeconds,
                Math.max(peakRssBytes, next.peakRssBytes));
    }
}
