package dev.videobackend.stack.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JavaCPP's figures as the transcoder reports them in the {@code native-memory} check of {@code /q/health/ready}.
 */
record JavaCppMemory(long totalBytes, long physicalBytes, long maxBytes, long maxPhysicalBytes) {

    private static final String CHECK = "native-memory";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Reads the check whatever the overall status: a readiness of 503 still carries every check's data. */
    static JavaCppMemory fetch(URI readiness) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(readiness)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
                if (CHECK.equals(check.path("name").asText())) {
                    JsonNode data = check.path("data");
                    return new JavaCppMemory(data.path("javacppTotalBytes").asLong(),
                            data.path("javacppPhysicalBytes").asLong(), data.path("javacppMaxBytes").asLong(),
                            data.path("javacppMaxPhysicalBytes").asLong());
                }
            }
            throw new IllegalStateException("No " + CHECK + " check at " + readiness + ": " + response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + readiness, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + readiness, e);
        }
    }
}
