package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The warm-up's usual end: its minimum of reads answered and the JIT taken as settled (here with the largest
 * threshold allowed, so that the first second past the minimum settles it), well before the time limit.
 */
@QuarkusTest
@TestProfile(WarmUpDoneTest.ShortWarmUp.class)
class WarmUpDoneTest {

    static final int MIN_REQUESTS = 200;

    public static class ShortWarmUp extends CatalogTestProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("catalog.warm-up.min-requests", String.valueOf(MIN_REQUESTS),
                    "catalog.warm-up.settled-compile-time", "10s",
                    "catalog.warm-up.time-limit", "10m");
        }
    }

    @Test
    void theReplicaIsReadyOnceItsReadsAreAnsweredAndTheJitHasSettled() {
        await().atMost(Videos.TIMEOUT).until(() -> readiness().getString("status").equals("UP"));
        JsonPath warmUp = readiness().setRootPath("checks.find { it.name == 'warm-up' }");
        assertThat(warmUp.getString("status")).isEqualTo("UP");
        assertThat(warmUp.getString("data.outcome")).isEqualTo("done");
        assertThat(warmUp.getInt("data.answered")).as("reads answered").isGreaterThanOrEqualTo(MIN_REQUESTS);
        assertThat(warmUp.getInt("data.failed")).as("reads failed: %s", warmUp.getString("data.firstFailure"))
                .isZero();
        assertThat(warmUp.getLong("data.jitCompileMillis")).as("JIT time measured").isPositive();
    }

    private static JsonPath readiness() {
        return given().get("/q/health/ready").then().extract().jsonPath();
    }
}
