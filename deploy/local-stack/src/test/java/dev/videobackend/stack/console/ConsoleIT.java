package dev.videobackend.stack.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.stack.CatalogClient;
import dev.videobackend.stack.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web console in a real browser (Debian's Chromium driven by Playwright) against the whole local stack: an upload
 * through the page with its progress, the live transcode, playback at every rung, search, an edit conflict, markup in
 * a title shown as text, delete, and the OpenID Connect sign-in with PKCE against a stand-in provider. Skipped, with
 * the reason, where there is no Chromium.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final Path CATALOG = Path.of(System.getProperty("catalog.app"));
    private static final Path TRANSCODER = Path.of(System.getProperty("transcoder.app"));
    private static final String IDP = "https://idp.console.test";
    private static final String CLIENT_ID = "video-console";
    private static final String TITLE = "Lighthouse over the harbour";
    private static final String XSS_TITLE = "<img src=x onerror=alert(1)>";
    private static final int CHUNK_BYTES = 64 * 1024;

    @TempDir
    static Path data;

    @RegisterExtension
    static final BrowserEvidence evidence = new BrowserEvidence(Path.of(System.getProperty("console.evidence.dir",
            "target/failsafe-reports/console")));

    private static LocalStack stack;
    private static Playwright playwright;
    private static Browser browser;
    private static CatalogClient demo;
    private static Path clip;
    private static String videoId;

    private BrowserContext context;
    private Page page;
    private final AtomicBoolean dialogOpened = new AtomicBoolean();

    @BeforeAll
    static void startStackAndBrowser() {
        if (!Chromium.installed()) {
            // each test is reported skipped with the reason (see openPage); a class-level assumption would hide them
            System.err.println("ConsoleIT: " + Chromium.MISSING);
            return;
        }
        stack = LocalStack.start(new LocalStack.Settings(data.resolve("stack"), FreePort.find(), FreePort.find(),
                CATALOG, TRANSCODER, false, Map.of(
                        "CATALOG_CONSOLE_OIDC_ISSUER", IDP,
                        "CATALOG_CONSOLE_OIDC_CLIENT_ID", CLIENT_ID,
                        // many small chunks, so that an upload can be broken off and resumed in the middle
                        "CATALOG_CONSOLE_UPLOAD_CHUNK_BYTES", String.valueOf(CHUNK_BYTES))));
        demo = new CatalogClient(stack.catalogUrl(), stack.tokens().demoUploader());
        clip = SampleClip.write(new SampleClip.Spec(640, 360, 30, 8.0, true), data.resolve("lighthouse.mp4"));
        // the stack shares two cores with the build: give the page time, the waits end as soon as it is there
        PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @BeforeEach
    void openPage() {
        assumeTrue(browser != null, Chromium.MISSING);
        context = browser.newContext();
        context.setDefaultTimeout(60_000);
        page = context.newPage();
        evidence.watch(page);
        page.onDialog(dialog -> {
            dialogOpened.set(true);
            dialog.dismiss();
        });
    }

    @AfterEach
    void closePage() {
        if (context == null) {
            return;
        }
        List<String> lines = evidence.lines();
        context.close();
        assertThat(lines).as("Content-Security-Policy violations and script errors")
                .noneMatch(line -> line.contains("Content Security Policy") || line.startsWith("page error"));
    }

    @Test
    @Order(1)
    void anUploadThroughThePageTranscodesAndPlaysAtEveryRung() {
        signIn(stack.tokens().demoUploader(), "demo");
        page.navigate(url("#/upload"));
        page.setInputFiles("#file", clip);
        page.fill("#title", TITLE);
        page.fill("#description", "The harbour light at dusk, for the console's browser test");
        page.fill("#category", "travel");
        page.fill("#tags", "sea, dusk");
        page.click("#start-upload");

        assertThat(page.locator("#upload-status")).containsText("100 %");
        assertThat(page.locator("#upload-progress")).hasAttribute("value", "100");
        assertThat(page.locator("#transcode-status"))
                .hasText(Pattern.compile("(Probing|Encoding|Packaging) \\d+ %.*"),
                        new LocatorAssertions.HasTextOptions().setTimeout(180_000));
        page.waitForURL(Pattern.compile(".*#/watch/.+"), new Page.WaitForURLOptions().setTimeout(180_000));
        videoId = page.url().replaceAll(".*#/watch/", "");

        Locator player = page.locator("#player");
        assertThat(page.locator("#video-title")).hasText(TITLE);
        assertThat(player).hasAttribute("poster", Pattern.compile(".*/media/" + videoId + "/.+/poster\\.jpg"));
        assertThat(page.locator("#quality")).isEnabled();
        List<String> heights = ((List<?>) page.locator("#quality option[data-height]")
                .evaluateAll("options => options.map(o => o.dataset.height)")).stream().map(String::valueOf).toList();
        assertThat(heights).containsExactly("360", "240", "144");
        for (String height : heights) {
            page.selectOption("#quality", page.locator("#quality option[data-height='" + height + "']")
                    .getAttribute("value"));
            page.evaluate("() => { const v = document.getElementById('player'); v.muted = true; v.currentTime = 0; return v.play(); }");
            page.waitForFunction("h => document.getElementById('player').videoHeight === h", Integer.parseInt(height));
            double playedAt = ((Number) page.evaluate("() => document.getElementById('player').currentTime")).doubleValue();
            page.waitForFunction("t => document.getElementById('player').currentTime > t + 0.5", playedAt);
            assertThat(page.locator("#playing-level")).containsText(height + "p");
        }
        page.selectOption("#quality", "auto");
        assertThat(page.locator("#description")).hasText("The harbour light at dusk, for the console's browser test");
        assertThat(page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Tags"))).containsText("dusk");
    }

    @Test
    @Order(2)
    void searchFindsTheVideoWithoutSigningIn() {
        page.navigate(url("#/"));
        page.fill("#search", "lighthouse");
        page.click("form[role=search] button[type=submit]");
        assertThat(page.locator("#results .card-title")).hasText(new String[] {TITLE});
        assertThat(page.locator("#results .duration")).hasText("0:08");
        page.fill("#search", "submarine");
        page.click("form[role=search] button[type=submit]");
        assertThat(page.locator(".result-count")).hasText("No videos match.");
    }

    @Test
    @Order(3)
    void seekBarThumbnailsComeFromTheCatalogsStoryboard() {
        assumeTrue(videoId != null, "needs the video uploaded by the first test");
        // The real storyboard of the 8 s clip: a 160x90 thumbnail every 2 s, four on the first sheet's first row.
        JsonNode storyboard = saved(videoId, "media { storyboard { url intervalSeconds thumbnails } }")
                .get("media").get("storyboard");
        assertThat(storyboard.get("intervalSeconds").asDouble()).isEqualTo(2.0);
        assertThat(storyboard.get("thumbnails").asInt()).isEqualTo(4);

        page.navigate(url("#/watch/" + videoId));
        Locator seek = page.locator("#seek");
        assertThat(seek).isVisible();
        var box = seek.boundingBox();
        // 5 s in: the third cue (4 s to 6 s), the third tile of the first row.
        seek.hover(new Locator.HoverOptions().setPosition(box.width * 0.625, box.height / 2));
        Locator thumb = page.locator("#storyboard-thumb");
        assertThat(thumb).isVisible();
        assertThat(thumb).hasCSS("background-position", "-320px 0px");
        assertThat(thumb).hasCSS("background-image", Pattern.compile(".*/sprite-001\\.jpg.*"));
        assertThat(thumb).hasCSS("width", "160px");
        assertThat(page.locator(".storyboard-time")).hasText("0:05");
    }

    @Test
    @Order(4)
    void anEditConflictShowsTheNewerValuesAndReappliesMine() {
        assumeTrue(videoId != null, "needs the video uploaded by the first test");
        signIn(stack.tokens().demoUploader(), "demo");
        page.navigate(url("#/mine"));
        Locator item = page.locator("li[data-video-id='" + videoId + "']");
        item.locator(".edit-button").click();
        page.fill("#edit-title-" + videoId, "Lighthouse at night");

        long version = saved(videoId).get("version").asLong();
        demo.graphql("mutation($id: ID!) { updateVideo(id: $id, expectedVersion: " + version
                + ", input: {description: \"Changed in another tab\"}) { version } }", Map.of("id", videoId));

        item.locator("button[type=submit]").click();
        Locator conflict = page.locator("#conflict-" + videoId);
        assertThat(conflict).isVisible();
        assertThat(conflict.locator("td.newer")).containsText(new String[] {TITLE, "Changed in another tab"});
        assertThat(conflict.locator("td.mine").first()).hasText("Lighthouse at night");

        page.click("#reapply-" + videoId);
        assertThat(item.locator(".item-title")).hasText("Lighthouse at night");
        JsonNode saved = saved(videoId);
        assertThat(saved.get("title").asText()).isEqualTo("Lighthouse at night");
        assertThat(saved.get("description").asText()).isEqualTo("Changed in another tab");
    }

    @Test
    @Order(5)
    void markupInATitleIsShownAsText() {
        String id = demo.createVideo(XSS_TITLE, "<script>alert(2)</script>", "tests");
        signIn(stack.tokens().demoUploader(), "demo");
        page.navigate(url("#/mine"));
        Locator title = page.locator("li[data-video-id='" + id + "'] .item-title");
        assertThat(title).hasText(XSS_TITLE);
        page.navigate(url("#/watch/" + id));
        assertThat(page.locator("#video-title")).hasText(XSS_TITLE);
        assertThat(page.locator("#description")).hasText("<script>alert(2)</script>");
        assertThat(page.locator("img[src='x']")).hasCount(0);
        assertThat(dialogOpened).as("a dialog opened by injected script").isFalse();
    }

    @Test
    @Order(6)
    void deleteAsksForConfirmationAndRemovesTheVideo() {
        assumeTrue(videoId != null, "needs the video uploaded by the first test");
        signIn(stack.tokens().demoUploader(), "demo");
        page.navigate(url("#/mine"));
        Locator item = page.locator("li[data-video-id='" + videoId + "']");
        item.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete").setExact(true)).click();
        Locator dialog = page.locator("dialog.confirm");
        assertThat(dialog).isVisible();
        assertThat(dialog.locator("h2")).hasText("Delete “Lighthouse at night”?");
        dialog.getByText("Keep it").click();
        assertThat(item).isVisible();

        item.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete").setExact(true)).click();
        page.click("#confirm-delete");
        assertThat(item).hasCount(0);
        assertThat(saved(videoId).isNull()).as("the video is gone from the API").isTrue();
    }

    @Test
    @Order(7)
    void signInWithOpenIdConnectUsesPkceAndKeepsTheTokenOutOfUrlsAndStorage() throws Exception {
        Map<String, String> authorizeRequest = new HashMap<>();
        String accessToken = stack.tokens().sign("oidc-user", List.of("uploader"));
        context.route(IDP + "/**", route -> standInProvider(route, authorizeRequest, accessToken));

        page.navigate(url("#/signin"));
        page.click("#oidc-sign-in");
        assertThat(page.locator("#account")).containsText("Signed in as oidc-user (uploader)");

        assertThat(authorizeRequest).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
                .containsEntry("code_challenge_method", "S256").containsEntry("redirect_uri", url(""));
        assertThat(authorizeRequest.get("verified")).as("the token request's code_verifier matches the challenge")
                .isEqualTo("true");
        assertThat(page.url()).doesNotContain("code=").doesNotContain("state=");
        String storage = (String) page.evaluate("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)");
        assertThat(storage).doesNotContain(accessToken.substring(accessToken.lastIndexOf('.') + 1));
        assertThat(storage).doesNotContain("verifier");
        page.navigate(url("#/mine"));
        assertThat(page.locator("#my-videos")).containsText("No videos yet.");
    }

    @Test
    @Order(8)
    void thePageHasAStrictPolicyLabelledControlsAndFitsAPhone() {
        page.setViewportSize(375, 740);
        Response response = page.navigate(url(""));
        String policy = response.headerValue("content-security-policy");
        assertThat(policy).contains("script-src 'self'", "style-src 'self'", "media-src 'self' blob:",
                "connect-src 'self' " + IDP, "frame-ancestors 'none'").doesNotContain("unsafe");
        page.waitForSelector("body[data-ready=true]");
        assertThat((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no horizontal scrolling at a phone's width").isTrue();

        page.keyboard().press("Tab");
        assertThat((String) page.evaluate("() => document.activeElement.textContent")).isEqualTo("Skip to content");

        signIn(stack.tokens().demoUploader(), "demo");
        for (String route : List.of("#/", "#/upload", "#/mine")) {
            page.navigate(url(route));
            page.waitForSelector("main h1");
            assertThat((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("no horizontal scrolling on %s", route).isTrue();
            Object unlabelled = page.evaluate("() => [...document.querySelectorAll('main input, main select, main textarea')]"
                    + ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))"
                    + ".map(e => e.id)");
            assertThat((List<?>) unlabelled).as("controls without a label on %s", route).isEmpty();
        }
    }

    @Test
    @Order(9)
    void refusalsAndFailedTranscodesShowTheApisCodesAndMessages() throws Exception {
        signIn(stack.tokens().demoUploader(), "demo");
        page.navigate(url("#/upload"));
        page.setInputFiles("#file", new FilePayload("playlist.mp4", "video/mp4",
                "#EXTM3U\n#EXTINF:10,\nhttp://example.com/x.ts\n".getBytes(StandardCharsets.US_ASCII)));
        page.fill("#title", "Not a video");
        page.fill("#category", "tests");
        page.click("#start-upload");
        assertThat(page.locator("#upload-state .error")).containsText("UNSUPPORTED_MEDIA: The upload is not a video container");

        // an MP4's first bytes and then nothing that decodes: accepted by the upload, refused by the transcoder
        byte[] broken = new byte[256 * 1024];
        try (var in = Files.newInputStream(clip)) {
            in.readNBytes(broken, 0, 4096);
        }
        page.navigate(url("#/"));
        page.navigate(url("#/upload"));
        page.setInputFiles("#file", new FilePayload("broken.mp4", "video/mp4", broken));
        page.fill("#title", "Broken clip");
        page.fill("#category", "tests");
        page.click("#start-upload");
        Locator failure = page.locator("#transcode-heading ~ div .error");
        assertThat(failure).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(180_000));
        JsonNode failed = demo.graphql("{ videos(filter: {status: FAILED}) { edges { node { title failure { code message } } } } }",
                Map.of()).get("videos").get("edges").get(0).get("node");
        assertThat(failed.get("title").asText()).isEqualTo("Broken clip");
        assertThat(failure).hasText(failed.get("failure").get("code").asText() + ": "
                + failed.get("failure").get("message").asText());

        signIn(stack.tokens().admin(), "admin");
        page.navigate(url("#/admin"));
        Locator failedList = page.locator("#failed-videos");
        assertThat(failedList.locator(".item-title")).hasText(new String[] {"Broken clip"});
        assertThat(failedList.locator(".error")).containsText(failed.get("failure").get("code").asText());
        assertThat(page.locator("#all-videos")).containsText("Not a video");

        failedList.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Retranscode")).click();
        assertThat(failedList.locator(".item-status")).hasText("Transcode queued");
        JsonNode again = demo.graphql("{ videos(filter: {owner: \"demo\"}) { edges { node { title transcodeAttempts } } } }",
                Map.of()).get("videos").get("edges");
        assertThat(again).filteredOn(edge -> edge.get("node").get("title").asText().equals("Broken clip"))
                .singleElement().satisfies(edge -> assertThat(edge.get("node").get("transcodeAttempts").asInt()).isEqualTo(2));
    }

    @Test
    @Order(10)
    void anUploadResumesAfterADroppedConnectionAndAfterAReloadAndPlaysPrivately() {
        List<Long> offsets = new CopyOnWriteArrayList<>();
        AtomicInteger patches = new AtomicInteger();
        AtomicBoolean offline = new AtomicBoolean();
        context.route("**/api/uploads/*", route -> {
            if (!route.request().method().equals("PATCH")) {
                route.resume();
                return;
            }
            offsets.add(Long.parseLong(route.request().headerValue("upload-offset")));
            int patch = patches.incrementAndGet();
            if (patch == 2 || offline.get()) {
                route.abort("internetdisconnected");
            } else {
                route.resume();
                if (patch == 5) {
                    offline.set(true);
                }
            }
        });
        signIn(stack.tokens().demoUploader(), "demo");
        page.navigate(url("#/upload"));
        page.setInputFiles("#file", clip);
        page.fill("#title", "Resumed upload");
        page.fill("#category", "tests");
        page.selectOption("#visibility", "PRIVATE");
        assertThat(clip).as("a clip of more than six chunks").isNotEmptyFile();
        assertThat(clip.toFile().length()).isGreaterThan(6L * CHUNK_BYTES);
        page.click("#start-upload");

        // the second chunk's connection drops: the same chunk is sent again and the upload goes on
        page.waitForCondition(() -> patches.get() >= 6);
        assertThat(offsets.subList(0, 3)).containsExactly(0L, (long) CHUNK_BYTES, (long) CHUNK_BYTES);
        assertThat(page.locator("#upload-progress")).not().hasAttribute("value", "0");

        // offline for good: the person reloads the page, signs in again and picks the same file
        page.reload();
        offline.set(false);
        int beforeResume = offsets.size();
        signIn(stack.tokens().demoUploader(), "demo");
        page.navigate(url("#/upload"));
        assertThat(page.locator("#pending-heading")).hasText("Unfinished uploads");
        assertThat(page.locator(".pending li")).containsText(clip.getFileName().toString() + " for “Resumed upload”");
        page.setInputFiles("#file", clip);
        assertThat(page.locator("#resume-note")).containsText("it will resume from there");
        page.click("#start-upload");
        assertThat(page.locator("#upload-status")).containsText("100 %");
        assertThat(page.locator("#upload-state")).hasText("Upload complete; the transcode is queued.");
        assertThat(offsets.get(beforeResume)).as("the first chunk after the reload").isEqualTo(4L * CHUNK_BYTES);
        assertThat(((Number) page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('console.upload.')).length"))
                .intValue()).as("the finished upload is forgotten").isZero();

        // a private video's playlists, segments and poster need the owner's token: it goes along with every request
        page.waitForURL(Pattern.compile(".*#/watch/.+"), new Page.WaitForURLOptions().setTimeout(180_000));
        assertThat(page.locator("#player")).hasAttribute("poster", Pattern.compile("blob:.*"));
        page.evaluate("() => { const v = document.getElementById('player'); v.muted = true; return v.play(); }");
        page.waitForFunction("() => document.getElementById('player').videoHeight > 0"
                + " && document.getElementById('player').currentTime > 0.5");
    }

    /** The identity provider, played by the test: discovery, the authorization redirect and the token endpoint. */
    private void standInProvider(Route route, Map<String, String> authorizeRequest, String accessToken) {
        URI uri = URI.create(route.request().url());
        Map<String, String> cors = Map.of("Access-Control-Allow-Origin", "*", "Content-Type", "application/json");
        switch (uri.getPath()) {
            case "/.well-known/openid-configuration" -> route.fulfill(new Route.FulfillOptions().setHeaders(cors)
                    .setBody("{\"issuer\":\"" + IDP + "\",\"authorization_endpoint\":\"" + IDP + "/authorize\","
                            + "\"token_endpoint\":\"" + IDP + "/token\"}"));
            case "/authorize" -> {
                authorizeRequest.putAll(form(uri.getRawQuery()));
                route.fulfill(new Route.FulfillOptions().setStatus(302).setHeaders(Map.of("Location",
                        authorizeRequest.get("redirect_uri") + "?code=the-code&state=" + authorizeRequest.get("state"))));
            }
            case "/token" -> {
                Map<String, String> request = form(route.request().postData());
                boolean verified = "authorization_code".equals(request.get("grant_type"))
                        && "the-code".equals(request.get("code"))
                        && CLIENT_ID.equals(request.get("client_id"))
                        && authorizeRequest.get("redirect_uri").equals(request.get("redirect_uri"))
                        && s256(request.get("code_verifier")).equals(authorizeRequest.get("code_challenge"));
                authorizeRequest.put("verified", String.valueOf(verified));
                route.fulfill(new Route.FulfillOptions().setStatus(verified ? 200 : 400).setHeaders(cors)
                        .setBody(verified ? "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\"}"
                                : "{\"error\":\"invalid_grant\"}"));
            }
            default -> route.fulfill(new Route.FulfillOptions().setStatus(404));
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        for (String pair : encoded.split("&")) {
            String[] parts = pair.split("=", 2);
            values.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return values;
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The video as the API has it now (a JSON null once it is gone). */
    private static JsonNode saved(String id) {
        return saved(id, "title description version");
    }

    private static JsonNode saved(String id, String fields) {
        return demo.graphql("query($id: ID!) { video(id: $id) { " + fields + " } }", Map.of("id", id)).get("video");
    }

    private void signIn(String token, String name) {
        page.navigate(url("#/signin"));
        page.fill("#dev-token", token);
        page.click("text=Sign in with this token");
        assertThat(page.locator("#account")).containsText("Signed in as " + name);
    }

    private static String url(String fragment) {
        return stack.catalogUrl() + "/" + fragment;
    }
}
