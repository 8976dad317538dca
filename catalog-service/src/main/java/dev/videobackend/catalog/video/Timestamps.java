package dev.videobackend.catalog.video;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants at the precision PostgreSQL keeps, so that a value reads back equal to what was written. */
final class Timestamps {

    private Timestamps() {
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
