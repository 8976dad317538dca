package dev.videobackend.transcoder.memory;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports {@link NativeMemory} in {@code /q/health/ready} (and {@code /q/health}) for operators and the soak run.
 * It is always UP, even past JavaCPP's limits, on purpose:
 * <ul>
 * <li>readiness only steers HTTP traffic, and the transcoder takes its work from Kafka, so "not ready" would stop
 * nothing; liveness DOWN would restart the pod and kill every running job for what may be one job's peak;</li>
 * <li>the limits already act on what they bound, JavaCPP's own allocations: past them, JavaCPP collects garbage and
 * then refuses the allocation with an {@code OutOfMemoryError} in the job that asks for more. That job fails (as
 * {@code INTERNAL}, or, if the error escapes the job thread, its channel reports itself failed and the instance
 * restarts with the attempt counted, see {@code JobFailures}), rather than the kernel's OOM killer ending the
 * container with every job in it. What FFmpeg allocates inside its libraries is outside JavaCPP's accounting: the
 * per-job source limits bound that.</li>
 * </ul>
 */
@Readiness
@ApplicationScoped
public class NativeMemoryHealthCheck implements HealthCheck {

    static final String NAME = "native-memory";

    @Override
    public HealthCheckResponse call() {
        NativeMemory memory = NativeMemory.now();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up()
                .withData("javacppTotalBytes", memory.javacppTotalBytes())
                .withData("javacppPhysicalBytes", memory.javacppPhysicalBytes())
                .withData("javacppMaxBytes", memory.javacppMaxBytes())
                .withData("javacppMaxPhysicalBytes", memory.javacppMaxPhysicalBytes());
        memory.openFileDescriptors().ifPresent(count -> response.withData("openFileDescriptors", count));
        return response.build();
    }
}
