package dev.videobackend.transcoder.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.videobackend.transcoder.TranscoderTestProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The readiness endpoint carries JavaCPP's native memory figures and the open file descriptors, as the soak reads them. */
@QuarkusTest
@TestProfile(TranscoderTestProfile.class)
class NativeMemoryHealthTest {

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @Test
    void readinessReportsJavaCppMemoryAndOpenFileDescriptors() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(readiness).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode check = StreamSupport.stream(new ObjectMapper().readTree(response.body()).get("checks").spliterator(),
                        false)
                .filter(node -> NativeMemoryHealthCheck.NAME.equals(node.get("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("No native-memory check in " + response.body()));
        assertThat(check.get("status").asText()).isEqualTo("UP");
        JsonNode data = check.get("data");
        // The test JVM runs without the limits set, so JavaCPP's defaults show: both derive from -Xmx.
        assertThat(data.get("javacppMaxBytes").asLong()).isEqualTo(Pointer.maxBytes()).isPositive();
        assertThat(data.get("javacppMaxPhysicalBytes").asLong()).isEqualTo(Pointer.maxPhysicalBytes())
                .isGreaterThan(Pointer.maxBytes());
        assertThat(data.get("javacppTotalBytes").asLong()).isNotNegative();
        // Resident memory of a JVM running Quarkus, Kafka clients and FFmpeg: tens of MiB at the very least.
        assertThat(data.get("javacppPhysicalBytes").asLong()).isGreaterThan(32L << 20);
        // At least standard input, output and error, the Kafka connections and the HTTP listener.
        assertThat(data.get("openFileDescriptors").asLong()).isGreaterThan(3);
    }
}
