package dev.videobackend.catalog.graphql;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;

/** Readiness check {@code warm-up}: DOWN while the replica warms itself up ({@link WarmUp}), UP ever after. */
@Readiness
@ApplicationScoped
class WarmUpCheck implements HealthCheck {

    private final WarmUp warmUp;

    WarmUpCheck(WarmUp warmUp) {
        this.warmUp = warmUp;
    }

    @Override
    public HealthCheckResponse call() {
        WarmUp.Progress progress = warmUp.progress();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("warm-up")
                .status(progress.outcome() != WarmUp.Outcome.RUNNING)
                .withData("outcome", progress.outcome().label())
                .withData("minRequests", progress.minRequests())
                .withData("answered", progress.answered())
                .withData("failed", progress.failed())
                .withData("videosSampled", progress.videosSampled())
                .withData("jitCompileMillis", progress.jitCompileMillis());
        progress.firstFailure().ifPresent(failure -> response.withData("firstFailure", failure));
        return response.build();
    }
}
