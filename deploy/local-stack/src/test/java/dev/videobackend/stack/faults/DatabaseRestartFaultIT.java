package dev.videobackend.stack.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.stack.CatalogClient;
import dev.videobackend.stack.faults.FaultStack.Upload;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 3 of issue 16: PostgreSQL stopped for longer than the event consumer's retries used to last, while
 * mutations arrive and the transcoder reports progress and completions, then started again on its data and port.
 * Callers get a retriable, specific refusal ({@code UNAVAILABLE}, 503); nothing acknowledged is lost; the catalog's
 * readiness follows the database and it recovers without a restart.
 */
class DatabaseRestartFaultIT {

    private static final Duration OUTAGE = Duration.ofSeconds(45);
    private static final String CREATE = "mutation($input: CreateVideoInput!) { createVideo(input: $input) { id } }";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path data;

    /** What one mutation got: the id it created, or its HTTP status and error code. */
    record Outcome(String id, int status, String code, String retryAfter) {
    }

    @Test
    void aDatabaseRestartRefusesWithUnavailableLosesNothingAndNeedsNoCatalogRestart() throws Exception {
        try (FaultStack stack = FaultStack.start(data, Map.of())) {
            Path clip = stack.clip(4.0);
            List<Upload> uploads = new ArrayList<>();
            Verdicts.Baseline baseline = stack.warmUp(clip, uploads);
            for (int i = 1; i <= 5; i++) {
                uploads.add(stack.upload("job " + i, clip));
            }

            List<Outcome> outcomes = new CopyOnWriteArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> mutations = writer.submit(() -> {
                int n = 0;
                while (writing.get()) {
                    outcomes.add(create(stack.client(), "during " + n++));
                    FaultStack.pause(Duration.ofMillis(300));
                }
            });
            stack.awaitEncoding(uploads);
            stack.stack().stopPostgres();
            long stopped = System.nanoTime();
            Awaitility.await("readiness down").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> stack.catalogReadiness() == 503);
            long readinessDown = System.nanoTime();
            Duration rest = OUTAGE.minus(Duration.ofNanos(System.nanoTime() - stopped));
            Awaitility.await("readiness down for the whole outage").during(rest).atMost(rest.plusSeconds(30))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> stack.catalogReadiness() == 503);
            stack.stack().startPostgres();
            long started = System.nanoTime();
            Awaitility.await("readiness up").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> stack.catalogReadiness() == 200);
            long readinessUp = System.nanoTime();
            int beforeRecovery = outcomes.size();
            Awaitility.await("mutations acknowledged again").atMost(Duration.ofMinutes(1))
                    .until(() -> outcomes.stream().skip(beforeRecovery).anyMatch(outcome -> outcome.id() != null));
            writing.set(false);
            mutations.get();
            writer.shutdown();

            int deadLettered = EventLog.read(stack.stack().kafka().bootstrapServers(), "video.transcode.events.dlq")
                    .events().size();
            System.out.printf("[faults] scenario 3: outage %d s; readiness down %.1f s after the stop, up %.1f s after"
                            + " the start; %d transcoder events dead-lettered; %d mutations: %d acknowledged,"
                            + " refusals %s%n", OUTAGE.toSeconds(),
                    (readinessDown - stopped) / 1e9, (readinessUp - started) / 1e9, deadLettered, outcomes.size(),
                    outcomes.stream().filter(outcome -> outcome.id() != null).count(),
                    outcomes.stream().filter(outcome -> outcome.id() == null)
                            .map(outcome -> outcome.status() + " " + outcome.code()).distinct().toList());

            assertThat(deadLettered).as("no transcoder event dead-lettered").isZero();
            Map<String, JsonNode> settled = stack.awaitSettled(uploads, Duration.ofMinutes(20));
            assertThat(outcomes).filteredOn(outcome -> outcome.id() == null).as("refusals while the database is down")
                    .isNotEmpty()
                    .allSatisfy(outcome -> {
                        assertThat(outcome.code()).isEqualTo("UNAVAILABLE");
                        assertThat(outcome.status()).isIn(200, 503);
                    });
            assertThat(outcomes).filteredOn(outcome -> outcome.id() != null).as("acknowledged mutations kept")
                    .allSatisfy(outcome -> assertThat(stack.video(outcome.id())).isNotNull());
            assertThat(stack.stack().catalog().pid()).as("the catalog recovered without a restart").isEqualTo(baseline.catalog().pid());
            assertThat(stack.stack().catalog().restarts()).isZero();
            Verdicts.everyUploadSettled(settled, Set.of());
            Verdicts.oneOutcomePerJob(stack, uploads);
            Verdicts.oneOutcomeApplied(stack, uploads);
            Verdicts.nothingOrphaned(stack, uploads, settled);
            Verdicts.backToBaseline(stack, baseline, "scenario 3");
        }
    }

    private static Outcome create(CatalogClient client, String title) {
        CatalogClient.Answer answer = client.graphqlAnswer(CREATE,
                Map.of("input", Map.of("title", title, "description", "fault suite", "category", "test")));
        JsonNode created = answer.body().path("data").path("createVideo");
        if (created.hasNonNull("id")) {
            return new Outcome(created.get("id").asText(), answer.status(), null, answer.retryAfter());
        }
        JsonNode code = answer.body().path("errors").path(0).path("extensions").path("code");
        return new Outcome(null, answer.status(), code.isMissingNode() ? answer.body().path("code").asText() : code.asText(),
                answer.retryAfter());
    }
}
