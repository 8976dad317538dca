package dev.videobackend.stack.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** One kind of request the load generator repeats, and what makes its answer a success. */
interface Scenario {

    Duration TIMEOUT = Duration.ofSeconds(5);

    /** The first page of the anonymous listing, with what a video grid shows. */
    String VIDEOS_QUERY = "{\"query\":\"{ videos(first: 20) { edges { cursor node { id slug title status"
            + " media { hls poster { url width height } } renditions { height width bitrate url } } }"
            + " pageInfo { hasNextPage endCursor } } }\"}";

    /** A watch page's video: its metadata, media links and ladder. */
    String VIDEO_QUERY = "{\"query\":\"query($id: ID!) { video(id: $id) { id slug title description category tags"
            + " status source { width height durationSeconds } media { hls poster { url width height }"
            + " progressive { url width height bitrate } audio { url codecs } }"
            + " renditions { height width codecs bitrate averageBitrate url } } }\",\"variables\":{\"id\":\"%s\"}}";

    String name();

    /** What the request asks for, for the report. */
    String description();

    HttpRequest next();

    /** Empty when the answer is a success, else why not. */
    Optional<String> failure(HttpResponse<byte[]> response);

    static Scenario videos(URI catalog) {
        HttpRequest request = graphql(catalog, VIDEOS_QUERY);
        return new GraphQl("videos(first: 20)", "GraphQL `videos(first: 20)`, anonymous: id, slug, title, status, "
                + "HLS and poster URLs, renditions", () -> request);
    }

    static Scenario video(URI catalog, List<UUID> ids) {
        return new GraphQl("video(id)", "GraphQL `video(id)`, anonymous, a random one of " + ids.size()
                + " public videos: metadata, media URLs, renditions",
                () -> graphql(catalog, VIDEO_QUERY.formatted(ids.get(ThreadLocalRandom.current().nextInt(ids.size())))));
    }

    static Scenario segment(URI segmentUrl) {
        HttpRequest request = HttpRequest.newBuilder(segmentUrl).timeout(TIMEOUT).GET().build();
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
            public HttpRequest next() {
                return request;
            }

            @Override
            public Optional<String> failure(HttpResponse<byte[]> response) {
                if (response.statusCode() != 200) {
                    return Optional.of("HTTP " + response.statusCode());
                }
                return response.body().length == 0 ? Optional.of("empty body") : Optional.empty();
            }
        };
    }

    private static HttpRequest graphql(URI catalog, String body) {
        return HttpRequest.newBuilder(catalog.resolve("/graphql"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** A GraphQL request: a success is a 200 whose body has data and no errors. */
    record GraphQl(String name, String description, Supplier<HttpRequest> requests)
            implements Scenario {

        @Override
        public HttpRequest next() {
            return requests.get();
        }

        @Override
        public Optional<String> failure(HttpResponse<byte[]> response) {
            if (response.statusCode() != 200) {
                return Optional.of("HTTP " + response.statusCode());
            }
            // Seeded titles never contain the key, so a plain search is enough, and far cheaper than parsing.
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (body.contains("\"errors\"")) {
                return Optional.of("GraphQL errors: " + body.substring(0, Math.min(body.length(), 300)));
            }
            if (!body.contains("\"data\":{\"video") || body.contains("\"video\":null")) {
                return Optional.of("no video in the answer: " + body);
            }
            return Optional.empty();
        }
    }
}
