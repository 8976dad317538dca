package dev.videobackend.stack.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.stack.CatalogClient;
import dev.videobackend.stack.LocalStack;
import dev.videobackend.stack.MediaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A direct upload from a real browser, as a web application on an origin of its own makes it: the page asks the
 * catalog for the part URLs (GraphQL, cross-origin), {@code PUT}s the bytes straight to the bucket at those presigned
 * URLs (cross-origin to the S3 server, so the bucket's CORS rule decides whether the browser sends them and lets the
 * page read each part's {@code ETag}), and completes the upload; the video then transcodes to {@code READY}. The
 * whole local stack with its media in the embedded S3 server's bucket. Skipped, with the reason, without Chromium.
 */
class DirectUploadBrowserIT {

    private static final Path CATALOG = Path.of(System.getProperty("catalog.app"));
    private static final Path TRANSCODER = Path.of(System.getProperty("transcoder.app"));

    /** What a web application's upload widget does with {@code startDirectUpload} and {@code completeDirectUpload}. */
    private static final String UPLOAD = """
            async ({catalog, token, videoId, base64}) => {
              const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
              const graphql = async (query, variables) => {
                const response = await fetch(catalog + '/graphql', {method: 'POST',
                    headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'},
                    body: JSON.stringify({query, variables})});
                const answer = await response.json();
                if (answer.errors) {
                  throw new Error(JSON.stringify(answer.errors));
                }
                return answer.data;
              };
              const started = (await graphql(`mutation($v: ID!, $size: BigInteger!) {
                  startDirectUpload(videoId: $v, size: $size) { uploadId parts { number sizeBytes url } } }`,
                  {v: videoId, size: bytes.length})).startDirectUpload;
              const parts = [];
              let offset = 0;
              for (const part of started.parts) {
                const response = await fetch(part.url,
                    {method: 'PUT', body: bytes.subarray(offset, offset + part.sizeBytes)});
                offset += part.sizeBytes;
                parts.push({number: part.number, url: part.url, status: response.status,
                    etag: response.headers.get('ETag')});
              }
              if (parts.some(part => part.status !== 200 || !part.etag)) {
                return {parts};
              }
              const completed = (await graphql(`mutation($v: ID!, $u: ID!, $p: [DirectUploadPartInput!]!) {
                  completeDirectUpload(videoId: $v, uploadId: $u, parts: $p) { status sizeBytes } }`,
                  {v: videoId, u: started.uploadId, p: parts.map(part => ({number: part.number, etag: part.etag}))}))
                  .completeDirectUpload;
              return {parts, completed};
            }""";

    @TempDir
    Path data;

    @RegisterExtension
    final BrowserEvidence evidence = new BrowserEvidence(Path.of(System.getProperty("console.evidence.dir",
            "target/failsafe-reports/console")));

    private LocalStack stack;
    private ApplicationOrigin application;
    private Playwright playwright;
    private Page page;

    /** Everything starts before the test and stops after it, so that a failure's screenshot sees the live page. */
    @BeforeEach
    void start() throws IOException {
        assumeTrue(Chromium.installed(), Chromium.MISSING);
        stack = LocalStack.start(new LocalStack.Settings(data.resolve("stack"), FreePort.find(), FreePort.find(),
                CATALOG, TRANSCODER, false).withMediaStore(MediaStore.S3));
        application = ApplicationOrigin.start();
        playwright = Chromium.playwright();
        page = Chromium.launch(playwright).newPage();
        evidence.watch(page);
    }

    @AfterEach
    void stop() {
        if (playwright != null) {
            playwright.close();
        }
        if (application != null) {
            application.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWebApplicationOnItsOwnOriginUploadsStraightToTheBucket() throws IOException {
        Path clip = SampleClip.write(new SampleClip.Spec(640, 360, 30, 3.0, true), data.resolve("harbour.mp4"));
        byte[] bytes = Files.readAllBytes(clip);
        CatalogClient demo = new CatalogClient(stack.catalogUrl(), stack.tokens().demoUploader());
        String videoId = demo.createVideo("Straight to the bucket", "Sent by a browser", "demo");
        page.navigate(application.url());

        Map<String, Object> outcome = (Map<String, Object>) page.evaluate(UPLOAD, Map.of(
                "catalog", stack.catalogUrl().toString(), "token", stack.tokens().demoUploader(),
                "videoId", videoId, "base64", Base64.getEncoder().encodeToString(bytes)));

        List<Map<String, Object>> parts = (List<Map<String, Object>>) outcome.get("parts");
        assertThat(parts).as("the parts the browser sent, and what it could read of the bucket's answers")
                .isNotEmpty()
                .allSatisfy(part -> {
                    assertThat(part.get("url").toString()).startsWith(stack.s3().orElseThrow().endpoint());
                    assertThat(((Number) part.get("status")).intValue()).isEqualTo(200);
                    assertThat(part.get("etag")).as("the ETag, exposed to the page by the bucket's CORS rule")
                            .asString().matches("\"[0-9a-f]{32}\"");
                });
        Map<String, Object> completed = (Map<String, Object>) outcome.get("completed");
        assertThat(completed.get("status")).isEqualTo("QUEUED");
        assertThat(((Number) completed.get("sizeBytes")).longValue()).isEqualTo(bytes.length);
        assertThat(page.url()).as("the page's origin is neither the catalog's nor the bucket's")
                .isEqualTo(application.url());

        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> demo.video(videoId).get("status").asText(),
                        status -> status.equals("READY") || status.equals("FAILED"));
        JsonNode video = demo.video(videoId);
        assertThat(video.get("status").asText()).isEqualTo("READY");
        assertThat(video.get("source").get("durationSeconds").asDouble())
                .isCloseTo(FfmpegTools.probe(clip).format().duration(), within(0.1));
        assertThat(video.get("renditions")).extracting(rendition -> rendition.get("height").asInt())
                .containsExactly(360, 240, 144);
    }

    /** A page of a web application on an origin of its own (loopback, as the stack, so no private-network rules). */
    private record ApplicationOrigin(HttpServer server) implements AutoCloseable {

        static ApplicationOrigin start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] page = "<!doctype html><title>Upload widget</title>".getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(page);
                }
            });
            server.start();
            return new ApplicationOrigin(server);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
