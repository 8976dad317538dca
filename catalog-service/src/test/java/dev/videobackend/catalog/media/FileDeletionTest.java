package dev.videobackend.catalog.media;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Videos.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Removals of stored files are recorded with the change that orphans them and retried until they succeed. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class FileDeletionTest extends KafkaTestBase {

    @Inject
    FileDeletions deletions;

    @AfterEach
    void removalsWorkAgain() {
        deletions.beforeRemoval(null);
    }

    @Test
    void aRemovalThatFailsStaysPendingAndALaterSweepCompletesIt() {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Hard to remove", Map.of());
        Path sources = mediaRoot.resolve("sources/" + id);
        Path renditions = mediaRoot.resolve("renditions/" + id);
        assertThat(sources).isNotEmptyDirectory();
        assertThat(renditions).isNotEmptyDirectory();
        deletions.beforeRemoval(path -> {
            if (path.equals("renditions/" + id)) {
                throw new UncheckedIOException("Could not remove " + path, new IOException("the disk said no"));
            }
        });

        GraphQl.postAs(ALICE, "mutation($id: ID!) { deleteVideo(id: $id) }", Map.of("id", id))
                .body("errors", nullValue());

        // The sources went; the renditions, whose removal failed, are still there and still queued.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(sources).doesNotExist();
            assertThat(pending(id)).singleElement().satisfies(row -> {
                assertThat(row).containsEntry("path", "renditions/" + id);
                assertThat((Integer) row.get("attempts")).isPositive();
                assertThat((String) row.get("last_error")).contains("the disk said no");
            });
        });
        assertThat(renditions).isNotEmptyDirectory();

        deletions.beforeRemoval(null);

        // Due again once its back-off (1 s in tests) has passed.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            deletions.sweep();
            assertThat(renditions).doesNotExist();
            assertThat(pending(id)).isEmpty();
        });
    }

    @Test
    void aRemovalThatKeepsFailingWaitsLongerEachTimeAndIsNotTriedBeforeItIsDue() {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Backing off", Map.of());
        Path renditions = mediaRoot.resolve("renditions/" + id);
        deletions.beforeRemoval(path -> {
            if (path.equals("renditions/" + id)) {
                throw new UncheckedIOException("Could not remove " + path, new IOException("the disk said no"));
            }
        });
        GraphQl.postAs(ALICE, "mutation($id: ID!) { deleteVideo(id: $id) }", Map.of("id", id))
                .body("errors", nullValue());

        // Each failure doubles the wait before the next attempt: 1 s, 2 s, 4 s (the test profile's back-off).
        for (int failures = 1; failures <= 3; failures++) {
            int expected = failures;
            await().atMost(TIMEOUT).untilAsserted(() -> {
                deletions.sweep();
                assertThat(backoffOf(id)).containsEntry("attempts", expected);
            });
            Map<String, Object> row = backoffOf(id);
            Duration wait = Duration.between(((Timestamp) row.get("last_attempt_at")).toInstant(),
                    ((Timestamp) row.get("next_attempt_at")).toInstant());
            assertThat(wait).isEqualTo(Duration.ofSeconds(1L << (failures - 1)));
        }

        // Not due: a sweep leaves it alone, even though the removal would work now.
        deletions.beforeRemoval(null);
        Database.update("UPDATE file_deletion SET next_attempt_at = now() + interval '1 hour' WHERE path = ?",
                "renditions/" + id);
        deletions.sweep();
        assertThat(backoffOf(id)).containsEntry("attempts", 3);
        assertThat(renditions).isNotEmptyDirectory();

        Database.update("UPDATE file_deletion SET next_attempt_at = now() - interval '1 second' WHERE path = ?",
                "renditions/" + id);
        deletions.sweep();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(renditions).doesNotExist());
        assertThat(pending(id)).isEmpty();
    }

    @Test
    void theBackOffIsCappedAtItsMaximum() {
        assertThat(deletions.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(deletions.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(deletions.backoff(40)).isEqualTo(Duration.ofHours(1));
    }

    private static Map<String, Object> backoffOf(String videoId) {
        return Database.row("SELECT attempts, last_attempt_at, next_attempt_at FROM file_deletion WHERE path = ?",
                "renditions/" + videoId);
    }

    @Test
    void aFileNoRowReferencesIsQueuedWhenItCannotBeRemovedAtOnce() throws IOException {
        String id = Videos.create(ALICE, "Empty upload", Map.of());
        Path sources = mediaRoot.resolve("sources/" + id);
        deletions.beforeRemoval(path -> {
            if (path.startsWith("sources/" + id + "/")) {
                throw new UncheckedIOException("Could not remove " + path, new IOException("the disk said no"));
            }
        });

        // An empty body is refused after its (empty) file was created: that file is removed at once, or queued.
        Tokens.as(ALICE).contentType("video/mp4").body(new byte[0]).when().put("/api/videos/{id}/source", id)
                .then().statusCode(400).body("code", is("VALIDATION"));

        assertThat(pending(id)).singleElement().satisfies(row -> {
            assertThat((String) row.get("path")).startsWith("sources/" + id + "/.");
            assertThat(row).containsEntry("attempts", 1);
        });
        try (Stream<Path> left = Files.list(sources)) {
            assertThat(left).hasSize(1);
        }

        deletions.beforeRemoval(null);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            deletions.sweep();
            try (Stream<Path> left = Files.list(sources)) {
                assertThat(left).isEmpty();
            }
            assertThat(pending(id)).isEmpty();
        });
    }

    private static List<Map<String, Object>> pending(String videoId) {
        return Database.rows("SELECT path, attempts, last_error FROM file_deletion WHERE path LIKE ?",
                "%/" + videoId + "%");
    }
}
