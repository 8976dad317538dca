package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica warms itself up through its own listener before it reports ready, and reports ready at the time limit
 * however many reads are left: more reads than it can send in the limit here, so that both states are seen.
 */
@QuarkusTest
@TestProfile(WarmUpTest.LongWarmUp.class)
class WarmUpTest {

    static final Duration TIME_LIMIT = Duration.ofSeconds(15);

    public static class LongWarmUp extends CatalogTestProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("catalog.warm-up.min-requests", "1000000",
                    "catalog.warm-up.concurrency", "2",
                    "catalog.warm-up.time-limit", TIME_LIMIT.toSeconds() + "s");
        }
    }

    @Test
    void theReplicaIsNotReadyWhileItWarmsUpAndIsReadyAtTheTimeLimit() {
        await().atMost(TIME_LIMIT).until(() -> warmUp().getInt("data.answered") > 0);
        JsonPath warming = readiness();
        assertThat(warming.getString("status")).isEqualTo("DOWN");
        assertThat(warming.setRootPath("checks.find { it.name == 'warm-up' }").getString("data.outcome"))
                .isEqualTo("running");

        await().atMost(TIME_LIMIT.plus(Videos.TIMEOUT)).until(() -> readiness().getString("status").equals("UP"));
        JsonPath done = warmUp();
        assertThat(done.getString("status")).isEqualTo("UP");
        assertThat(done.getString("data.outcome")).isEqualTo("time limit reached");
        assertThat(done.getInt("data.answered")).as("reads answered").isGreaterThan(100);
        assertThat(done.getInt("data.failed")).as("reads failed: %s", done.getString("data.firstFailure")).isZero();
    }

    private static JsonPath readiness() {
        return given().get("/q/health/ready").then().extract().jsonPath();
    }

    private static JsonPath warmUp() {
        return readiness().setRootPath("checks.find { it.name == 'warm-up' }");
    }
}
