package dev.videobackend.transcoder.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transcoder's event records against the golden examples in {@code docs/events/}, which the catalog's tests
 * read too: each example must read into this service's record and write back to the same JSON.
 */
class EventContractTest {

    private static final ObjectMapper TREES = new ObjectMapper();
    private static final Path EXAMPLES = Path.of(System.getProperty("events.examples.dir", "../docs/events"));

    @Test
    void readsTheRequestExample() throws IOException {
        String example = example("transcode-requested.json");
        TranscodeRequested request = EventJson.readRequest(example);
        assertThat(request.source().path()).startsWith("sources/");
        assertReadsAllButTheChecksum(request, example);
    }

    /** A direct upload's request: the catalog never read the bytes, so the optional checksum is absent. */
    @Test
    void readsARequestWithoutTheSourcesChecksum() throws IOException {
        String example = example("transcode-requested-direct-upload.json");
        TranscodeRequested request = EventJson.readRequest(example);
        assertThat(request.source().sizeBytes()).isEqualTo(134_217_728L);
        assertReadsAllButTheChecksum(request, example);
    }

    @Test
    void writesItsEventsExactlyAsTheExamples() throws IOException {
        assertRoundTrip("transcode-progress.json", TranscodeProgress.class);
        assertRoundTrip("transcode-failed.json", TranscodeFailed.class);
    }

    @Test
    void writesItsCompletionExactlyAsTheExample() throws IOException {
        assertRoundTrip("transcode-completed.json", TranscodeCompleted.class);
    }

    @Test
    void readsTheCancelExample() throws IOException {
        String example = example("transcode-cancel-requested.json");
        TranscodeCancelRequested cancel = EventJson.readCancel(example);
        assertThat(cancel.reason()).isEqualTo("CANCELLED_BY_USER");
        assertSameJson(EventJson.write(cancel), example);
        // A reason added later (SOURCE_REPLACED: a new upload superseded the job) is read like any other.
        assertThat(EventJson.readCancel(example.replace("CANCELLED_BY_USER", "SOURCE_REPLACED")).reason())
                .isEqualTo("SOURCE_REPLACED");
        assertThatThrownBy(() -> EventJson.readCancel(example.replace("\"TranscodeCancelRequested\"", "\"Other\"")))
                .isInstanceOf(MalformedRequestException.class).hasMessageContaining("Other");
        assertThatThrownBy(() -> EventJson.readCancel(example.replace("\"jobId\"", "\"formerJobId\"")))
                .isInstanceOf(MalformedRequestException.class);
    }

    @Test
    void refusesRequestsOutsideTheContract() throws IOException {
        String example = example("transcode-requested.json");
        assertThatThrownBy(() -> EventJson.readRequest("[]")).isInstanceOf(MalformedRequestException.class);
        assertThatThrownBy(() -> EventJson.readRequest(example.replace("\"TranscodeRequested\"", "\"Other\"")))
                .isInstanceOf(MalformedRequestException.class).hasMessageContaining("Other");
        assertThatThrownBy(() -> EventJson.readRequest(example.replace("\"schemaVersion\": 1", "\"schemaVersion\": 2")))
                .isInstanceOf(MalformedRequestException.class).hasMessageContaining("schemaVersion 2");
        assertThatThrownBy(() -> EventJson.readRequest(example.replace("\"jobId\"", "\"formerJobId\"")))
                .isInstanceOf(MalformedRequestException.class);
    }

    private static <T extends TranscoderEvent> void assertRoundTrip(String file, Class<T> type) throws IOException {
        String example = example(file);
        T event = EventJson.read(example, type);
        assertThat(event.type()).isEqualTo(type.getSimpleName());
        assertSameJson(EventJson.write(event), example);
    }

    /** Every field of the request but {@code source.sha256}, which the transcoder does not use (docs/events.md). */
    private static void assertReadsAllButTheChecksum(TranscodeRequested request, String example) throws IOException {
        ObjectNode expected = (ObjectNode) TREES.readTree(example);
        ((ObjectNode) expected.get("source")).remove("sha256");
        assertThat(TREES.readTree(EventJson.write(request))).isEqualTo(expected);
    }

    private static void assertSameJson(String actual, String expected) throws IOException {
        JsonNode actualTree = TREES.readTree(actual);
        assertThat(actualTree).isEqualTo(TREES.readTree(expected));
    }

    private static String example(String file) throws IOException {
        return Files.readString(EXAMPLES.resolve(file));
    }
}
