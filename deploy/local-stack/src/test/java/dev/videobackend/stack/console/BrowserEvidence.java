package dev.videobackend.stack.console;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keeps what the browser said (console messages, page errors, failed requests) and, when a test fails, writes a
 * screenshot and that log into the test report directory, right after the test and before its page is closed.
 * {@code -Dconsole.screenshots=always} keeps them for passing tests too, to look at the pages.
 */
final class BrowserEvidence implements AfterTestExecutionCallback {

    private final Path directory;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private Page page;

    BrowserEvidence(Path directory) {
        this.directory = directory;
    }

    /** Starts recording a new test's page. */
    void watch(Page page) {
        this.page = page;
        log.clear();
        page.onConsoleMessage(message -> log.add("console." + message.type() + ": " + message.text()));
        page.onPageError(error -> log.add("page error: " + error));
        page.onRequestFailed(request -> log.add("request failed: " + request.method() + " " + request.url() + " "
                + request.failure()));
    }

    List<String> lines() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        boolean always = "always".equals(System.getProperty("console.screenshots"));
        if ((context.getExecutionException().isEmpty() && !always) || page == null || page.isClosed()) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        try {
            Files.createDirectories(directory);
            page.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve(name + ".png")).setFullPage(true));
            List<String> lines = new ArrayList<>(lines());
            lines.add(0, "URL: " + page.url());
            Files.write(directory.resolve(name + ".console.txt"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not save the browser's evidence into " + directory, e);
        }
    }
}
