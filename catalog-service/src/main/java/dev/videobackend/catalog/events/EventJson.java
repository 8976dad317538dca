package dev.videobackend.catalog.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The wire format of the event contract. Its own mapper, not the application's, so that no global Jackson
 * setting can change what goes on Kafka: ISO-8601 instants, absent rather than null optional fields, unknown
 * fields ignored (producers may add fields without a new schema version).
 */
public final class EventJson {

    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Optional fields are left out on the wire; the required ones are checked in readTranscoderEvent.
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventJson() {
    }

    public static String write(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write " + event.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads and checks an event of the transcoder; anything else is a {@link MalformedEventException}. */
    public static TranscoderEvent readTranscoderEvent(String json) {
        TranscoderEvent event = read(json, TranscoderEvent.class);
        if (event.eventId() == null || event.videoId() == null || event.jobId() == null || event.occurredAt() == null) {
            throw new MalformedEventException("Event lacks eventId, videoId, jobId or occurredAt: " + abbreviate(json));
        }
        if (event.schemaVersion() != SCHEMA_VERSION) {
            throw new MalformedEventException("Unsupported schemaVersion " + event.schemaVersion() + " in " + abbreviate(json));
        }
        String missing = missingRequiredField(event);
        if (missing != null) {
            throw new MalformedEventException(event.type() + " lacks " + missing + ": " + abbreviate(json));
        }
        return event;
    }

    /** The first required field of the contract that the event lacks, or {@code null}. */
    private static String missingRequiredField(TranscoderEvent event) {
        if (event instanceof TranscodeProgress progress) {
            return progress.stage() == null ? "stage" : null;
        }
        if (event instanceof TranscodeCompleted completed) {
            if (completed.source() == null) {
                return "source";
            }
            if (completed.masterPlaylistPath() == null) {
                return "masterPlaylistPath";
            }
            return completed.renditions() == null || completed.renditions().isEmpty() ? "renditions" : null;
        }
        TranscodeFailed failed = (TranscodeFailed) event;
        return failed.code() == null ? "code" : failed.message() == null ? "message" : null;
    }

    static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("Empty event");
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException(
                    "Not a " + type.getSimpleName() + ": " + firstSentence(e.getOriginalMessage()), e);
        }
    }

    private static String abbreviate(String json) {
        return json.length() <= 200 ? json : json.substring(0, 200) + "...";
    }

    /** Jackson's messages go on with advice about its own settings after a semicolon; readers need the first part. */
    private static String firstSentence(String message) {
        int end = message.indexOf(';');
        return end < 0 ? message : message.substring(0, end);
    }
}
