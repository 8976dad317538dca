package dev.videobackend.catalog.video;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.KafkaTestBase;
import dev.videobackend.catalog.Videos;
import dev.videobackend.infra.kafka.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Videos.TIMEOUT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** The storyboard of a completed transcode: stored, shown in GraphQL, delivered, deleted with the video. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class StoryboardTest extends KafkaTestBase {

    private static final String STORYBOARD = """
            media { storyboard { url intervalSeconds tileWidth tileHeight columns rows thumbnails
                                 sprites { url width height } } }""";

    @Test
    void theCompletionsStoryboardIsShownDeliveredAndDeletedWithTheVideo() {
        String id = Videos.ready(kafka, mediaRoot, ALICE, "Scrubbable", Map.of("visibility", "PUBLIC"));
        String prefix = "/media/" + id + "/";

        String vtt = Videos.video(null, id, STORYBOARD)
                .body("data.video.media.storyboard.intervalSeconds", is(2.0f))
                .body("data.video.media.storyboard.tileWidth", is(160))
                .body("data.video.media.storyboard.tileHeight", is(90))
                .body("data.video.media.storyboard.columns", is(10))
                .body("data.video.media.storyboard.rows", is(10))
                .body("data.video.media.storyboard.thumbnails", is(5))
                .body("data.video.media.storyboard.sprites.width", contains(1600))
                .body("data.video.media.storyboard.sprites.height", contains(900))
                .extract().path("data.video.media.storyboard.url");
        String sprite = Videos.video(null, id, STORYBOARD).extract().path("data.video.media.storyboard.sprites[0].url");
        assertThat(vtt).startsWith(prefix).endsWith("/storyboard.vtt");
        assertThat(sprite).isEqualTo(vtt.replace("storyboard.vtt", "sprite-001.jpg"));

        given().when().get(vtt).then().statusCode(200).contentType("text/vtt").body(is("storyboard.vtt"));
        given().when().get(sprite).then().statusCode(200).contentType("image/jpeg").body(is("sprite-001.jpg"));

        Path jobFiles = mediaRoot.resolve("renditions/" + id);
        assertThat(jobFiles.resolve(vtt.substring(prefix.length()))).exists();
        GraphQl.postAs(ALICE, "mutation($id: ID!) { deleteVideo(id: $id) }", Map.of("id", id))
                .body("errors", nullValue());
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(jobFiles).doesNotExist());
        given().when().get(vtt).then().statusCode(404);
    }

    @Test
    void aCompletionWithoutAStoryboardHasNone() {
        String id = Videos.create(ALICE, "No thumbnails", Map.of());
        String job = Videos.upload(ALICE, id);
        String completed = Videos.completed(mediaRoot, id, job).replaceFirst("\"storyboard\":", "\"notRead\":");

        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, completed);
        Videos.awaitStatus(ALICE, id, "READY");

        Videos.video(ALICE, id, "media { hls storyboard { url } }")
                .body("data.video.media.storyboard", nullValue());
    }

    @Test
    void aStoryboardSpriteOutsideItsJobGoesToTheDeadLetterTopic() {
        String id = Videos.create(ALICE, "Sneaky sprite", Map.of());
        String job = Videos.upload(ALICE, id);
        String completed = Videos.completed(mediaRoot, id, job)
                .replace("\"sprites\":[{\"path\":\"renditions/", "\"sprites\":[{\"path\":\"sources/");
        assertThat(completed).contains("\"sprites\":[{\"path\":\"sources/");

        try (KafkaTestClient.Reader deadLetters = kafka.reader(CatalogTestProfile.EVENTS_DEAD_LETTER_TOPIC)) {
            kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, completed);
            deadLetters.await(r -> id.equals(r.key()), TIMEOUT);
        }
        Videos.video(ALICE, id, "status").body("data.video.status", is("QUEUED"));
    }
}
