package dev.videobackend.catalog.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog's event records against the golden examples in {@code docs/events/}, which the transcoder's
 * tests read too: each example must read into this service's record and write back to the same JSON.
 */
class EventContractTest {

    private static final ObjectMapper TREES = new ObjectMapper();
    private static final Path EXAMPLES = Path.of(System.getProperty("events.examples.dir", "../docs/events"));

    @Test
    void transcodeRequestedIsWrittenExactlyAsTheExample() throws IOException {
        String example = example("transcode-requested.json");
        TranscodeRequested event = EventJson.read(example, TranscodeRequested.class);
        assertThat(event.type()).isEqualTo(TranscodeRequested.TYPE);
        assertSameJson(EventJson.write(event), example);
    }

    /** A direct upload's request: the catalog never read the bytes, so it leaves the optional checksum out. */
    @Test
    void aRequestWithoutChecksumIsWrittenExactlyAsTheExample() throws IOException {
        String example = example("transcode-requested-direct-upload.json");
        TranscodeRequested event = EventJson.read(example, TranscodeRequested.class);
        assertThat(event.source().sha256()).isNull();
        assertSameJson(EventJson.write(event), example);
    }

    @Test
    void cancelAndDeletedEventsAreWrittenExactlyAsTheExamples() throws IOException {
        String cancel = example("transcode-cancel-requested.json");
        TranscodeCancelRequested cancelEvent = EventJson.read(cancel, TranscodeCancelRequested.class);
        assertThat(cancelEvent.reason()).isEqualTo(TranscodeCancelRequested.Reason.CANCELLED_BY_USER);
        assertSameJson(EventJson.write(cancelEvent), cancel);

        String deleted = example("video-deleted.json");
        VideoDeleted deletedEvent = EventJson.read(deleted, VideoDeleted.class);
        assertThat(deletedEvent.slug()).isEqualTo("sunset-over-the-harbour");
        assertSameJson(EventJson.write(deletedEvent), deleted);
    }

    @Test
    void mediaRevocationIsWrittenExactlyAsTheExample() throws IOException {
        String example = example("video-media-revoked.json");
        VideoMediaRevoked revoked = EventJson.read(example, VideoMediaRevoked.class);
        assertThat(revoked.reason()).isEqualTo(VideoMediaRevoked.Reason.MADE_PRIVATE);
        assertThat(revoked.mediaPrefix()).endsWith("/media/" + revoked.videoId() + "/");
        assertSameJson(EventJson.write(revoked), example);

        String replaced = example("transcode-cancel-requested.json").replace("CANCELLED_BY_USER", "SOURCE_REPLACED");
        assertThat(EventJson.read(replaced, TranscodeCancelRequested.class).reason())
                .isEqualTo(TranscodeCancelRequested.Reason.SOURCE_REPLACED);
    }

    @Test
    void completionCarriesTheHlsOutputs() throws IOException {
        TranscodeCompleted completed = (TranscodeCompleted) EventJson.readTranscoderEvent(example("transcode-completed.json"));
        assertThat(completed.masterPlaylistPath()).endsWith("/master.m3u8");
        assertThat(completed.renditions()).extracting(TranscodeCompleted.Rendition::codecs).containsOnly("avc1.64001e");
        assertThat(completed.av1Renditions()).extracting(TranscodeCompleted.Rendition::codecs)
                .containsExactly("av01.0.04M.08");
        assertThat(completed.allRenditions()).extracting(TranscodeCompleted.Rendition::videoCodec)
                .containsExactly("h264", "h264", "av1");
        assertThat(completed.audio().codecs()).isEqualTo("mp4a.40.2");
        assertThat(completed.poster().path()).endsWith("/poster.jpg");
        assertThat(completed.progressive().path()).endsWith("/progressive.mp4");
    }

    @Test
    void transcoderEventsReadIntoTheirRecordsAndWriteBackUnchanged() throws IOException {
        assertRoundTrip("transcode-progress.json", TranscodeProgress.class);
        assertRoundTrip("transcode-completed.json", TranscodeCompleted.class);
        assertRoundTrip("transcode-failed.json", TranscodeFailed.class);
    }

    @Test
    void unknownFieldsAreToleratedSoProducersCanAddFields() throws IOException {
        String example = example("transcode-progress.json").replaceFirst("\\{", "{\"addedLater\": true,");
        assertThat(EventJson.readTranscoderEvent(example)).isInstanceOf(TranscodeProgress.class);
    }

    @Test
    void optionalFieldsMayBeLeftOutButRequiredOnesMayNot() throws IOException {
        String minimal = """
                {"eventId":"1a4e7c90-3b2d-4f85-a6c1-9e0d2b7f4a33","type":"TranscodeProgress","schemaVersion":1,
                 "videoId":"3f6a1c52-9e0b-4d7a-8c35-2b1e4f7a9d10","jobId":"c2b9e4a7-5d13-4f6e-b0a8-71e3d9f24c66",
                 "occurredAt":"2026-11-25T09:15:05.500Z","stage":"ENCODING","percent":42.5,
                 "renditionsDone":0,"renditionsTotal":3}""";
        TranscodeProgress progress = (TranscodeProgress) EventJson.readTranscoderEvent(minimal);
        assertThat(progress.attempt()).isNull();
        assertThat(progress.speed()).isNull();

        String withoutMaster = example("transcode-completed.json").replaceFirst("\"masterPlaylistPath\"", "\"formerly\"");
        assertThatThrownBy(() -> EventJson.readTranscoderEvent(withoutMaster))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("lacks masterPlaylistPath");
        String withoutCode = example("transcode-failed.json").replaceFirst("\"code\"", "\"formerlyCode\"");
        assertThatThrownBy(() -> EventJson.readTranscoderEvent(withoutCode))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("lacks code");
    }

    @Test
    void refusesWhatIsNotAnEventOfTheContract() throws IOException {
        assertThatThrownBy(() -> EventJson.readTranscoderEvent("not json")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> EventJson.readTranscoderEvent("{\"type\":\"Unknown\"}"))
                .isInstanceOf(MalformedEventException.class);
        String withoutVideo = example("transcode-failed.json").replaceFirst("\"videoId\"", "\"formerlyVideoId\"");
        assertThatThrownBy(() -> EventJson.readTranscoderEvent(withoutVideo)).isInstanceOf(MalformedEventException.class);
        String futureVersion = example("transcode-failed.json").replace("\"schemaVersion\": 1", "\"schemaVersion\": 2");
        assertThatThrownBy(() -> EventJson.readTranscoderEvent(futureVersion))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("schemaVersion 2");
    }

    private static void assertRoundTrip(String file, Class<? extends TranscoderEvent> type) throws IOException {
        String example = example(file);
        TranscoderEvent event = EventJson.readTranscoderEvent(example);
        assertThat(event).isInstanceOf(type);
        assertSameJson(EventJson.write(event), example);
    }

    private static void assertSameJson(String actual, String expected) throws IOException {
        JsonNode actualTree = TREES.readTree(actual);
        JsonNode expectedTree = TREES.readTree(expected);
        assertThat(actualTree).isEqualTo(expectedTree);
    }

    private static String example(String file) throws IOException {
        return Files.readString(EXAMPLES.resolve(file));
    }
}
