package dev.videobackend.catalog;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** Requests of a tus 1.0 client, as the upload tests send them. */
public final class Tus {

    public static final String CHUNK_TYPE = "application/offset+octet-stream";

    private Tus() {
    }

    /** Creates an upload of {@code length} bytes for the video (with a file name the server must ignore). */
    public static ValidatableResponse create(String user, String videoId, long length) {
        return tus(user).header("Upload-Length", String.valueOf(length))
                .header("Upload-Metadata", metadata(videoId) + ",filename " + base64("../../etc/passwd"))
                .when().post("/api/uploads").then();
    }

    public static ValidatableResponse head(String user, String location) {
        return tus(user).when().head(location).then();
    }

    public static ValidatableResponse patch(String user, String location, long offset, byte[] chunk) {
        return tus(user).header("Upload-Offset", String.valueOf(offset)).contentType(CHUNK_TYPE).body(chunk)
                .when().patch(location).then();
    }

    public static RequestSpecification tus(String user) {
        return Tokens.as(user).header("Tus-Resumable", "1.0.0");
    }

    public static String metadata(String videoId) {
        return "videoId " + base64(videoId);
    }

    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static UUID uploadId(String location) {
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }
}
