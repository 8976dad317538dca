package dev.videobackend.stack;

import dev.videobackend.infra.s3.S3Server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the stack's services keep media: the media directory both mount (the default), or a bucket of an S3 server:
 * the embedded one (S3Proxy, its blobs under the data directory), or the existing one named by
 * {@value S3Server#EXISTING_ENDPOINT_VARIABLE} and friends. The services find the bucket through their settings and
 * their credentials through the SDK's default chain (the {@code AWS_*} variables), as in a cluster.
 */
public enum MediaStore {
    FILESYSTEM,
    S3;

    /** Parses {@code filesystem} or {@code s3}. */
    public static MediaStore parse(String text) {
        return switch (text) {
            case "filesystem" -> FILESYSTEM;
            case "s3" -> S3;
            default -> throw new IllegalArgumentException("--storage is filesystem or s3, got " + text);
        };
    }

    /** Both services' settings for a bucket of {@code server}; the transcoder stages jobs in {@code scratch}. */
    static Map<String, String> environment(S3Server server, Path scratch) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "QUARKUS_S3_ENDPOINT_OVERRIDE", server.endpoint(),
                "QUARKUS_S3_PATH_STYLE_ACCESS", "true",
                "QUARKUS_S3_AWS_REGION", server.region(),
                "CATALOG_STORAGE_TYPE", "s3",
                "CATALOG_STORAGE_S3_BUCKET", server.bucket(),
                "TRANSCODER_STORAGE_TYPE", "s3",
                "TRANSCODER_STORAGE_S3_BUCKET", server.bucket(),
                "TRANSCODER_STORAGE_SCRATCH_DIRECTORY", scratch.toString()));
        if (server.accessKey() != null) {
            environment.put(S3Server.ACCESS_KEY_VARIABLE, server.accessKey());
            environment.put(S3Server.SECRET_KEY_VARIABLE, server.secretKey());
        }
        return environment;
    }
}
