package dev.videobackend.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog's API as a client uses it: GraphQL over HTTP, and the upload and media endpoints, with a bearer
 * token (see {@link StackTokens}).
 */
public final class CatalogClient {

    static final String VIDEO_QUERY = """
            query($id: ID!) { video(id: $id) {
              id title status
              progress { stage percent framesPerSecond speed etaSeconds renditionsDone renditionsTotal }
              failure { code message }
              source { width height durationSeconds frameRate videoCodec audioCodec }
              renditions { height width videoCodec codecs frameRate bitrate averageBitrate sizeBytes durationSeconds url }
              media { hls poster { url width height } progressive { url width height bitrate } audio { url codecs }
                      storyboard { url intervalSeconds thumbnails sprites { url width height } } }
            } }""";

    /** A URI in an HLS playlist: a line of its own, or the {@code URI="..."} of an EXT-X-MAP or EXT-X-MEDIA tag. */
    private static final Pattern PLAYLIST_URI = Pattern.compile("^(?!#)(\\S.*)$|URI=\"([^\"]+)\"", Pattern.MULTILINE);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String bearer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public CatalogClient(URI base, String token) {
        this.base = base;
        this.bearer = "Bearer " + token;
    }

    /** Runs a GraphQL operation and returns its {@code data}; GraphQL errors become an exception with their codes. */
    public JsonNode graphql(String query, Map<String, Object> variables) {
        JsonNode response = send(HttpRequest.newBuilder(base.resolve("/graphql"))
                .header("Content-Type", "application/json")
                .header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.ofString(write(Map.of("query", query, "variables", variables))))
                .build());
        if (response.hasNonNull("errors")) {
            throw new IllegalStateException("GraphQL errors: " + response.get("errors"));
        }
        return response.get("data");
    }

    public String createVideo(String title, String description, String category) {
        return graphql("mutation($input: CreateVideoInput!) { createVideo(input: $input) { id } }",
                Map.of("input", Map.of("title", title, "description", description, "category", category)))
                .get("createVideo").get("id").asText();
    }

    /** Streams {@code file} as the video's source; returns the upload's answer. */
    public JsonNode upload(String videoId, Path file) {
        try {
            return send(HttpRequest.newBuilder(base.resolve("/api/videos/" + videoId + "/source"))
                    .header("Content-Type", "video/mp4")
                    .header("Authorization", bearer)
                    .PUT(HttpRequest.BodyPublishers.ofFile(file))
                    .build());
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException("No file to upload at " + file, e);
        }
    }

    public JsonNode video(String id) {
        return graphql(VIDEO_QUERY, Map.of("id", id)).get("video");
    }

    /**
     * Runs a GraphQL operation and returns the whole answer with its HTTP status ({@code status}, {@code body}),
     * errors included, for callers that check how a refusal looks.
     */
    public Answer graphqlAnswer(String query, Map<String, Object> variables) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/graphql"))
                .header("Content-Type", "application/json")
                .header("Authorization", bearer)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(write(Map.of("query", query, "variables", variables))))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during POST " + request.uri(), e);
        }
    }

    /** An HTTP answer: its status, its {@code Retry-After} header (or {@code null}) and its JSON body. */
    public record Answer(int status, String retryAfter, JsonNode body) {
    }

    /** The status a GET of {@code url} answers with. */
    public int status(URI url) {
        try {
            return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + url, e);
        }
    }

    /** Downloads a media URL (absolute, or relative to the catalog) into {@code target}. */
    public Path download(String url, Path target) {
        try {
            Files.createDirectories(target.getParent());
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(base.resolve(url))
                            .header("Authorization", bearer).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(target));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not download " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while downloading " + url, e);
        }
    }

    /**
     * Downloads an HLS presentation, master playlist first, then every playlist and segment it names, keeping their
     * relative layout under {@code directory}, so that FFmpeg can open the local copy of the master playlist.
     */
    public Path downloadHls(String masterUrl, Path directory) {
        URI master = base.resolve(masterUrl);
        Path local = directory.resolve(Path.of(master.getPath()).getFileName().toString());
        downloadPlaylist(master, local);
        return local;
    }

    private void downloadPlaylist(URI playlist, Path local) {
        download(playlist.toString(), local);
        Matcher uris = PLAYLIST_URI.matcher(readString(local));
        while (uris.find()) {
            String reference = uris.group(1) != null ? uris.group(1).strip() : uris.group(2);
            Path target = local.resolveSibling(reference).normalize();
            if (reference.endsWith(".m3u8")) {
                downloadPlaylist(playlist.resolve(reference), target);
            } else {
                download(playlist.resolve(reference).toString(), target);
            }
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
