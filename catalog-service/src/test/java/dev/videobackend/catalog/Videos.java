package dev.videobackend.catalog;

import dev.videobackend.infra.kafka.KafkaTestClient;
import io.restassured.response.ValidatableResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Test fixtures: videos created, uploaded and transcoded through the real API and the real event topic. */
public final class Videos {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String CREATE = "mutation($input: CreateVideoInput!) { createVideo(input: $input) { id } }";

    private Videos() {
    }

    /** Creates a video as {@code user}; {@code fields} adds to or overrides the title and category "test". */
    public static String create(String user, String title, Map<String, Object> fields) {
        Map<String, Object> input = new HashMap<>(Map.of("title", title, "category", "test"));
        input.putAll(fields);
        return GraphQl.postAs(user, CREATE, Map.of("input", input))
                .body("errors", nullValue())
                .extract().path("data.createVideo.id");
    }

    /** Uploads a source as {@code user}: bytes that start like an MP4 file; returns the job id. */
    public static String upload(String user, String id) {
        return Tokens.as(user).contentType("video/mp4").body(mp4Like(4_000))
                .when().put("/api/videos/{id}/source", id)
                .then().statusCode(202).extract().path("jobId");
    }

    /** A video of {@code user} made READY by a completed transcode of its first job. */
    public static String ready(KafkaTestClient kafka, Path mediaRoot, String user, String title, Map<String, Object> fields) {
        String id = create(user, title, fields);
        String job = upload(user, id);
        kafka.send(CatalogTestProfile.EVENTS_TOPIC, id, completed(mediaRoot, id, job));
        awaitStatus(user, id, "READY");
        return id;
    }

    public static void awaitStatus(String user, String id, String status) {
        await().atMost(TIMEOUT).untilAsserted(() -> GraphQl.postAs(user,
                "query($id: ID!) { video(id: $id) { status } }", Map.of("id", id)).body("data.video.status", is(status)));
    }

    public static ValidatableResponse video(String user, String id, String fields) {
        return GraphQl.postAs(user, "query($id: ID!) { video(id: $id) { " + fields + " } }", Map.of("id", id))
                .body("errors", nullValue());
    }

    public static String progress(String videoId, String jobId, double percent, Instant at) {
        return progress(UUID.randomUUID(), videoId, jobId, percent, at);
    }

    /** Optional fields (fps, speed, ETA, attempt) are left out, as producers may. */
    public static String progress(UUID eventId, String videoId, String jobId, double percent, Instant at) {
        return """
                {"eventId":"%s","type":"TranscodeProgress","schemaVersion":1,"videoId":"%s","jobId":"%s",
                 "occurredAt":"%s","stage":"ENCODING","percent":%s,"renditionsDone":0,"renditionsTotal":2}"""
                .formatted(eventId, videoId, jobId, at, percent);
    }

    public static String failed(String videoId, String jobId, String code) {
        return """
                {"eventId":"%s","type":"TranscodeFailed","schemaVersion":1,"videoId":"%s","jobId":"%s",
                 "occurredAt":"%s","code":"%s","message":"it failed","retryable":false,"attempt":1}"""
                .formatted(UUID.randomUUID(), videoId, jobId, Instant.now(), code);
    }

    /** A TranscodeCompleted of the revised contract, with the job's files written under the media root. */
    public static String completed(Path mediaRoot, String videoId, String jobId) {
        String dir = "renditions/" + videoId + "/" + jobId + "/";
        for (String file : new String[] {"master.m3u8", "480p/playlist.m3u8", "360p/playlist.m3u8",
                "audio/playlist.m3u8", "poster.jpg", "progressive.mp4", "storyboard.vtt", "sprite-001.jpg"}) {
            write(mediaRoot.resolve(dir + file), file);
        }
        return """
                {"eventId":"%s","type":"TranscodeCompleted","schemaVersion":1,"videoId":"%s","jobId":"%s",
                 "occurredAt":"%s",
                 "source":{"container":"mov,mp4,m4a,3gp,3g2,mj2","durationSeconds":10.0,"width":1280,"height":720,
                           "frameRate":30.0,"videoCodec":"h264","audioCodec":"aac","rotation":90,
                           "pixelFormat":"yuv420p","audioChannelLayout":"stereo"},
                 "masterPlaylistPath":"%smaster.m3u8",
                 "renditions":[
                   {"height":480,"width":854,"videoCodec":"h264","codecs":"avc1.64001e","frameRate":30.0,
                    "bitrate":1498000,"averageBitrate":1281000,"path":"%s480p/playlist.m3u8",
                    "mimeType":"application/vnd.apple.mpegurl","sizeBytes":1601250,"durationSeconds":10.0},
                   {"height":360,"width":640,"videoCodec":"h264","codecs":"avc1.64001e","frameRate":30.0,
                    "bitrate":951000,"averageBitrate":774000,"path":"%s360p/playlist.m3u8",
                    "mimeType":"application/vnd.apple.mpegurl","sizeBytes":967500,"durationSeconds":10.0}],
                 "audio":{"codec":"aac","codecs":"mp4a.40.2","channels":2,"sampleRate":48000,"bitrate":129000,
                          "path":"%saudio/playlist.m3u8","mimeType":"application/vnd.apple.mpegurl",
                          "sizeBytes":161250,"durationSeconds":10.005},
                 "poster":{"path":"%sposter.jpg","mimeType":"image/jpeg","width":1280,"height":720},
                 "progressive":{"path":"%sprogressive.mp4","mimeType":"video/mp4","width":640,"height":360,
                                "videoCodec":"h264","audioCodec":"aac","bitrate":903000,"sizeBytes":1128750,
                                "durationSeconds":10.0},
                 "storyboard":{"path":"%sstoryboard.vtt","mimeType":"text/vtt","intervalSeconds":2.0,
                               "tileWidth":160,"tileHeight":90,"columns":10,"rows":10,"thumbnails":5,
                               "sprites":[{"path":"%ssprite-001.jpg","mimeType":"image/jpeg","width":1600,
                                           "height":900}]},
                 "attempt":1,"elapsedSeconds":7.75}"""
                .formatted(UUID.randomUUID(), videoId, jobId, Instant.now(), dir, dir, dir, dir, dir, dir, dir, dir);
    }

    /** An ISO base media file's first box ({@code ftyp}, brand isom), then noise. */
    public static byte[] mp4Like(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        byte[] header = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
        System.arraycopy(header, 0, bytes, 0, header.length);
        return bytes;
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
