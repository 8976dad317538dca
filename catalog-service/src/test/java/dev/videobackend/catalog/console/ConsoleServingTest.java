package dev.videobackend.catalog.console;

import dev.videobackend.catalog.CatalogTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** The console's page, scripts and settings as the catalog serves them, with their security headers. */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class ConsoleServingTest {

    private static final Path CONSOLE_SOURCES = Path.of("src/main/resources/META-INF/resources");
    private static final Pattern ABSOLUTE_IMPORT = Pattern.compile("from '(/[^']+)'");

    @Test
    void theRootServesThePageWithAStrictContentSecurityPolicy() {
        Response page = given().when().get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .extract().response();
        String policy = page.header("Content-Security-Policy");
        assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
                "connect-src 'self'", "media-src 'self' blob:", "frame-ancestors 'none'", "base-uri 'none'");
        assertThat(policy).doesNotContain("unsafe-inline", "unsafe-eval", "*");

        // every script is a file of this origin: no inline code, no inline styles
        String html = page.asString();
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(1)).contains("src=\"/console/");
            assertThat(scripts.group(2)).isBlank();
        }
        assertThat(count).isPositive();
        assertThat(html).doesNotContain("style=", "<style").doesNotContainPattern("\\son[a-z]+=");
    }

    @Test
    void scriptsAndStylesCarryThePolicyTooWhileTheApiKeepsItsHeaders() {
        given().when().get("/console/app.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .header("Content-Security-Policy", containsString("script-src 'self'"));
        given().when().get("/console/console.css").then().statusCode(200).contentType(containsString("text/css"));
        given().when().get("/graphql/schema.graphql").then().statusCode(200)
                .header("Content-Security-Policy", nullValue());
    }

    @Test
    void everyLibraryTheModulesImportIsServedHere() throws IOException {
        List<String> imports = consoleScripts().flatMap(script -> {
            Matcher matcher = ABSOLUTE_IMPORT.matcher(read(script));
            return matcher.results().map(result -> result.group(1));
        }).distinct().toList();
        assertThat(imports).anyMatch(path -> path.startsWith("/webjars/hls.js/"))
                .anyMatch(path -> path.startsWith("/webjars/graphql-ws/"));
        for (String path : imports) {
            given().when().get(path).then().statusCode(200).contentType(containsString("javascript"));
        }
        // graphql-ws's client imports its siblings relatively
        given().when().get("/webjars/graphql-ws/5.16.0/lib/common.mjs").then().statusCode(200);
        given().when().get("/webjars/graphql-ws/5.16.0/lib/utils.mjs").then().statusCode(200);
    }

    @Test
    void noConsoleScriptWritesMarkupOrEvaluatesStrings() throws IOException {
        try (Stream<Path> scripts = consoleScripts()) {
            scripts.forEach(script -> assertThat(read(script)).as(script.toString())
                    .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                            "new Function", "localStorage.setItem('console.token", "setAttribute('style'"));
        }
    }

    @Test
    void theSettingsOfferNoDevelopmentSignInUnlessTheStackAsksForIt() {
        given().when().get(ConsoleResource.PATH).then().statusCode(200)
                .body("devSignIn", is(false))
                .body("oidc", nullValue())
                .body("uploadChunkBytes", is(8 * 1024 * 1024));
    }

    private static Stream<Path> consoleScripts() throws IOException {
        return Files.walk(CONSOLE_SOURCES.resolve("console")).filter(path -> path.toString().endsWith(".js"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
