package dev.videobackend.catalog.media;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.Database;
import dev.videobackend.catalog.Tokens;
import dev.videobackend.catalog.Videos;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static dev.videobackend.catalog.Tokens.ALICE;
import static dev.videobackend.catalog.Tokens.BOB;
import static dev.videobackend.catalog.Tokens.ROOT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** {@code GET /media/...}: a published job's files, as players fetch them, under the video's access rules. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class MediaDeliveryTest {

    private static final String PUBLIC_IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String PLAYER_ORIGIN = "https://player.example";

    @ConfigProperty(name = "catalog.media.root")
    Path mediaRoot;

    @Test
    void everyKindOfFileOfAJobIsServedWithItsTypeAndCachedForever() throws IOException {
        String base = publishedJob(Videos.create(ALICE, "Everything", Map.of("visibility", "PUBLIC")));
        Map<String, String> types = Map.of(
                "master.m3u8", "application/vnd.apple.mpegurl",
                "720p/playlist.m3u8", "application/vnd.apple.mpegurl",
                "720p/init.mp4", "video/mp4",
                "720p/segment-00001.m4s", "video/iso.segment",
                "audio/segment-00001.m4s", "video/iso.segment",
                "poster.jpg", "image/jpeg",
                "progressive.mp4", "video/mp4");

        types.forEach((file, type) -> {
            byte[] served = given().when().get(base + file).then().statusCode(200)
                    .contentType(type)
                    .header("Cache-Control", PUBLIC_IMMUTABLE)
                    .header("ETag", notNullValue())
                    .header("Accept-Ranges", "bytes")
                    .extract().asByteArray();
            assertThat(served).as(file).isEqualTo(read(base, file));
        });
    }

    @Test
    void filesAreLookedAtOffTheEventLoop() throws IOException {
        String base = publishedJob(Videos.create(ALICE, "Off the loop", Map.of("visibility", "PUBLIC")));
        RecordingMediaFiles.LOOKS.clear();

        given().when().get(base + "poster.jpg").then().statusCode(200);
        given().header("Range", "bytes=0-9").when().get(base + "progressive.mp4").then().statusCode(206);
        given().when().get(base + "missing.jpg").then().statusCode(404);

        assertThat(RecordingMediaFiles.LOOKS).hasSize(3).noneMatch(look -> look.endsWith("[event loop]"));
    }

    @Test
    void rangesConditionalRequestsAndHeadWork() throws IOException {
        String base = publishedJob(Videos.create(ALICE, "Seekable", Map.of("visibility", "PUBLIC")));
        String url = base + "progressive.mp4";
        byte[] file = read(base, "progressive.mp4");

        byte[] part = given().header("Range", "bytes=1000-1999").when().get(url).then().statusCode(206)
                .header("Content-Range", "bytes 1000-1999/" + file.length)
                .header("Content-Length", "1000")
                .extract().asByteArray();
        assertThat(part).isEqualTo(Arrays.copyOfRange(file, 1000, 2000));
        byte[] tail = given().header("Range", "bytes=-100").when().get(url).then().statusCode(206)
                .extract().asByteArray();
        assertThat(tail).isEqualTo(Arrays.copyOfRange(file, file.length - 100, file.length));
        given().header("Range", "bytes=" + file.length + "-").when().get(url).then().statusCode(416)
                .header("Content-Range", "bytes */" + file.length);

        String etag = given().when().get(url).then().extract().header("ETag");
        given().header("If-None-Match", etag).when().get(url).then().statusCode(304)
                .header("ETag", etag).header("Cache-Control", PUBLIC_IMMUTABLE).body(emptyOrNullString());
        given().header("If-None-Match", "\"other\", W/" + etag).when().get(url).then().statusCode(304);
        given().header("If-None-Match", "\"other\"").when().get(url).then().statusCode(200);

        given().when().head(url).then().statusCode(200)
                .contentType("video/mp4")
                .header("Content-Length", String.valueOf(file.length))
                .header("ETag", etag)
                .body(emptyOrNullString());
    }

    @Test
    void privateMediaNeedsTheOwnerOrAnAdminAndIsNeverSharedByCaches() throws IOException {
        String videoId = Videos.create(ALICE, "Private", Map.of("visibility", "PRIVATE"));
        String url = publishedJob(videoId) + "720p/segment-00001.m4s";

        // Hidden media is as absent as missing media (ExistenceOracleTest compares the answers).
        given().when().get(url).then().statusCode(404).contentType("application/problem+json")
                .body("code", is("NOT_FOUND"));
        Tokens.as(BOB).when().get(url).then().statusCode(404).contentType("application/problem+json")
                .body("code", is("NOT_FOUND"));
        Tokens.as(ALICE).when().get(url).then().statusCode(200)
                .header("Cache-Control", "private, max-age=31536000, immutable");
        Tokens.as(ROOT).when().get(url).then().statusCode(200);
        // The refusal comes before the file is looked for: it does not tell which files exist.
        given().when().get("/media/" + videoId + "/" + UUID.randomUUID() + "/poster.jpg").then().statusCode(404);
    }

    @Test
    void unlistedMediaIsServedToAnyoneWithTheLinkButANotReadyVideoIsNot() throws IOException {
        String unlisted = publishedJob(Videos.create(ALICE, "Unlisted", Map.of("visibility", "UNLISTED")));
        given().when().get(unlisted + "poster.jpg").then().statusCode(200).header("Cache-Control", PUBLIC_IMMUTABLE);

        String videoId = Videos.create(ALICE, "Still processing", Map.of("visibility", "PUBLIC"));
        String processing = publishedJob(videoId);
        Database.update("UPDATE video SET status = 'PROCESSING' WHERE id = ?", UUID.fromString(videoId));
        given().when().get(processing + "poster.jpg").then().statusCode(404);
        Tokens.as(ALICE).when().get(processing + "poster.jpg").then().statusCode(200);
    }

    @Test
    void webPlayersOnAnAllowedOriginMayFetchAndSeek() throws IOException {
        String url = publishedJob(Videos.create(ALICE, "Embedded", Map.of("visibility", "PUBLIC"))) + "720p/segment-00001.m4s";

        given().header("Origin", PLAYER_ORIGIN)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "range,authorization")
                .when().options(url)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", PLAYER_ORIGIN)
                .header("Access-Control-Allow-Methods", containsStringIgnoringCase("GET"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("range"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("authorization"));
        given().header("Origin", PLAYER_ORIGIN).header("Range", "bytes=0-9").when().get(url)
                .then().statusCode(206)
                .header("Access-Control-Allow-Origin", PLAYER_ORIGIN)
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Content-Range"))
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Accept-Ranges"))
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("ETag"))
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Content-Length"));

        given().header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "GET")
                .when().options(url)
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    /**
     * Publishes a job as the transcoder would (its files under {@code renditions/{video}/{job}/}) and marks the
     * video {@code READY} with that job; returns the job's media URL prefix.
     */
    private String publishedJob(String videoId) throws IOException {
        UUID jobId = UUID.randomUUID();
        Path job = mediaRoot.resolve("renditions").resolve(videoId).resolve(jobId.toString());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("master.m3u8", text("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=3000000\n720p/playlist.m3u8\n"));
        files.put("720p/playlist.m3u8", text("#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2.0,\nsegment-00001.m4s\n"));
        files.put("720p/init.mp4", bytes(800));
        files.put("720p/segment-00001.m4s", bytes(40_000));
        files.put("audio/segment-00001.m4s", bytes(5_000));
        files.put("poster.jpg", bytes(3_000));
        files.put("progressive.mp4", bytes(60_000));
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.createDirectories(job.resolve(file.getKey()).getParent());
            Files.write(job.resolve(file.getKey()), file.getValue());
        }
        Database.update("UPDATE video SET status = 'READY', job_id = ? WHERE id = ?", jobId, UUID.fromString(videoId));
        return "/media/" + videoId + "/" + jobId + "/";
    }

    private byte[] read(String base, String file) {
        try {
            return Files.readAllBytes(mediaRoot.resolve("renditions").resolve(base.substring("/media/".length())).resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
