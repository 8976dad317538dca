package dev.videobackend.transcoder.job;

import io.quarkus.runtime.annotations.StaticInitSafe;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * The default number of jobs one instance runs at once: one per two cores (at least one), since every job already
 * runs a decoder and several encoders in parallel. Lowest precedence: {@code application.properties}, system
 * properties and the environment ({@code SMALLRYE_MESSAGING_WORKER_TRANSCODE_JOBS_MAX_CONCURRENCY}) override it.
 * Safe for static initialisation, where the messaging extension sets up its worker pools, since it reads only the
 * core count.
 */
@StaticInitSafe
public class JobSlotsDefault implements ConfigSource {

    static final String PROPERTY = "smallrye.messaging.worker.transcode-jobs.max-concurrency";

    private final Map<String, String> properties =
            Map.of(PROPERTY, Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String name) {
        return properties.get(name);
    }

    @Override
    public String getName() {
        return "transcode job slots: one per two cores";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
