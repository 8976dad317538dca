package dev.videobackend.stack.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** One kind of request the load generator repeats, what makes its answer a success, and its target if it has one. */
interface Scenario {

    Duration TIMEOUT = Duration.ofSeconds(5);
    ObjectMapper JSON = new ObjectMapper();

    /** The first page of the anonymous listing, with what a video grid shows. */
    String VIDEOS_QUERY = "query Browse { videos(first: 20) { edges { cursor node { id slug title status"
            + " media { hls poster { url width height } } renditions { height width bitrate url } } }"
            + " pageInfo { hasNextPage endCursor } } }";

    /** A watch page's video: its metadata, media links and ladder. */
    String VIDEO_QUERY = "query Watch($id: ID!) { video(id: $id) { id slug title description category tags"
            + " status source { width height durationSeconds } media { hls poster { url width height }"
            + " progressive { url width height bitrate } audio { url codecs } }"
            + " renditions { height width codecs bitrate averageBitrate url } } }";

    /** An uploader's own videos, as a dashboard lists them. */
    String OWNER_QUERY = "query MyVideos($owner: String!) { videos(filter: {owner: $owner}, first: 20) {"
            + " edges { cursor node { id slug title status visibility createdAt media { poster { url } }"
            + " progress { percent } } } pageInfo { hasNextPage endCursor } } }";

    /** A search results page. */
    String SEARCH_QUERY = "query Search($term: String!) { videos(filter: {search: $term}, first: 20) {"
            + " edges { cursor node { id slug title media { poster { url } } } } pageInfo { hasNextPage endCursor } } }";

    /** How fast a scenario must be answered: p99 under {@code p99Millis} at {@code ratePerSecond}, no errors. */
    record Target(int ratePerSecond, double p99Millis) {
    }

    /** A request to the catalog: {@code uri} is its path and query; {@code body} null for none. */
    record Request(HttpMethod method, String uri, MultiMap headers, Buffer body) {
    }

    String name();

    /** What the request asks for, for the report. */
    String description();

    Optional<Target> target();

    Request next();

    /** Empty when the answer is a success, else why not. */
    Optional<String> failure(int status, Buffer body);

    /** The anonymous grid, as a web client sends it: a persisted query over GET, which caches may answer. */
    static Scenario videos(URI catalog) {
        PersistedQuery browse = PersistedQuery.register(catalog, VIDEOS_QUERY);
        Request request = browse.get(Map.of());
        return new GraphQl("videos(first: 20)", "anonymous `videos(first: 20)` as a persisted query over GET: id, slug, "
                + "title, status, HLS and poster URLs, renditions", Optional.of(new Target(1000, 25)), () -> request);
    }

    /** A random public video's watch page, anonymous, persisted query over GET: nearly every one a different id. */
    static Scenario video(URI catalog, List<UUID> ids) {
        PersistedQuery watch = PersistedQuery.register(catalog, VIDEO_QUERY);
        return new GraphQl("video(id)", "anonymous `video(id)` as a persisted query over GET, a random one of "
                + ids.size() + " public videos: metadata, media URLs, renditions", Optional.of(new Target(1000, 25)),
                () -> watch.get(Map.of("id", ids.get(ThreadLocalRandom.current().nextInt(ids.size())).toString())));
    }

    /** The signed-in uploader's own videos: private data, never cached, POST as clients send it. */
    static Scenario ownVideos(URI catalog, String uploader, String token) {
        Request request = post(OWNER_QUERY, Map.of("owner", uploader), token);
        return new GraphQl("videos(filter: {owner})", "signed-in uploader `" + uploader + "` listing their own videos "
                + "(`videos(filter: {owner})`, 20, POST): id, slug, title, status, visibility, poster, progress",
                Optional.of(new Target(500, 50)), () -> request);
    }

    /**
     * Anonymous searches for two words drawn at random from the seeded vocabulary, as a persisted query over GET:
     * tens of thousands of different terms, so nearly every one is worked out by the database.
     */
    static Scenario search(URI catalog, List<String> words) {
        PersistedQuery search = PersistedQuery.register(catalog, SEARCH_QUERY);
        return new GraphQl("videos(filter: {search})", "anonymous `videos(filter: {search})`, two words drawn at random "
                + "from the " + words.size() + " of the seeded titles and descriptions, persisted query over GET",
                Optional.of(new Target(300, 50)), () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    return search.get(Map.of("term", words.get(random.nextInt(words.size())) + " "
                            + words.get(random.nextInt(words.size()))));
                });
    }

    static Scenario segment(URI segmentUrl) {
        Request request = new Request(HttpMethod.GET, segmentUrl.getRawPath(), MultiMap.caseInsensitiveMultiMap(),
                null);
        return new Scenario() {
            @Override
            public String name() {
                return "media segment";
            }

            @Override
            public String description() {
                return "`GET " + segmentUrl.getPath() + "`, whole (no Range)";
            }

            @Override
            public Optional<Target> target() {
                return Optional.empty();
            }

            @Override
            public Request next() {
                return request;
            }

            @Override
            public Optional<String> failure(int status, Buffer body) {
                if (status != 200) {
                    return Optional.of("HTTP " + status);
                }
                return body.length() == 0 ? Optional.of("empty body") : Optional.empty();
            }
        };
    }

    private static Request post(String query, Map<String, Object> variables, String token) {
        return new Request(HttpMethod.POST, "/graphql", MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json").add("Accept", "application/json")
                .add("Authorization", "Bearer " + token),
                Buffer.buffer(write(Map.of("query", query, "variables", variables))));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A document the catalog knows by its hash (automatic persisted queries), sent as a GET. */
    record PersistedQuery(String extensions) {

        /** Sends the document once with its hash, as a client does when first told the hash is unknown. */
        static PersistedQuery register(URI catalog, String document) {
            String hash = sha256(document);
            Map<String, Object> extensions = Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));
            HttpRequest registration = HttpRequest.newBuilder(catalog.resolve("/graphql"))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(write(Map.of("query", document,
                            "variables", Map.of(), "extensions", extensions))))
                    .build();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(registration,
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("Registering a persisted query answered " + response.statusCode()
                            + ": " + response.body());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not register a persisted query", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while registering a persisted query", e);
            }
            return new PersistedQuery(encode(write(extensions)));
        }

        Request get(Map<String, Object> variables) {
            return new Request(HttpMethod.GET, "/graphql?extensions=" + extensions + "&variables="
                    + encode(write(variables)), MultiMap.caseInsensitiveMultiMap().add("Accept", "application/json"),
                    null);
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }

        private static String sha256(String document) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(document.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("This JVM has no SHA-256", e);
            }
        }
    }

    /** A GraphQL request: a success is a 200 whose body has data and no errors. */
    record GraphQl(String name, String description, Optional<Target> target, Supplier<Request> requests)
            implements Scenario {

        @Override
        public Request next() {
            return requests.get();
        }

        @Override
        public Optional<String> failure(int status, Buffer answer) {
            if (status != 200) {
                return Optional.of("HTTP " + status + ": " + answer.toString(StandardCharsets.UTF_8)
                        .substring(0, Math.min(answer.length(), 200)));
            }
            // Seeded titles never contain the key, so a plain search is enough, and far cheaper than parsing.
            String body = answer.toString(StandardCharsets.UTF_8);
            if (body.contains("\"errors\"")) {
                return Optional.of("GraphQL errors: " + body.substring(0, Math.min(body.length(), 300)));
            }
            if (!body.contains("\"data\":{\"video") || body.contains("\"video\":null")) {
                return Optional.of("no video in the answer: " + body.substring(0, Math.min(body.length(), 300)));
            }
            return Optional.empty();
        }
    }
}
