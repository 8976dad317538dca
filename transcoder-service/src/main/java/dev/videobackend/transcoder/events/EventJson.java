package dev.videobackend.transcoder.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The wire format of the event contract, with its own mapper so that no application-wide Jackson setting can
 * change it: ISO-8601 instants, optional fields left out rather than null, unknown fields ignored.
 */
public final class EventJson {

    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
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

    /** Reads and checks a request; anything else is a {@link MalformedRequestException}. */
    public static TranscodeRequested readRequest(String json) {
        TranscodeRequested request = read(json, TranscodeRequested.class);
        checkEnvelope(TranscodeRequested.TYPE, request.type(), request.schemaVersion());
        if (request.eventId() == null || request.videoId() == null || request.jobId() == null
                || request.source() == null || request.source().path() == null) {
            throw new MalformedRequestException("Request lacks eventId, videoId, jobId or source.path");
        }
        return request;
    }

    /** Reads and checks a cancel request; anything else is a {@link MalformedRequestException}. */
    public static TranscodeCancelRequested readCancel(String json) {
        TranscodeCancelRequested cancel = read(json, TranscodeCancelRequested.class);
        checkEnvelope(TranscodeCancelRequested.TYPE, cancel.type(), cancel.schemaVersion());
        if (cancel.eventId() == null || cancel.videoId() == null || cancel.jobId() == null) {
            throw new MalformedRequestException("Cancel request lacks eventId, videoId or jobId");
        }
        return cancel;
    }

    private static void checkEnvelope(String expectedType, String type, int schemaVersion) {
        if (!expectedType.equals(type)) {
            throw new MalformedRequestException("Expected type " + expectedType + ", got " + type);
        }
        if (schemaVersion != SCHEMA_VERSION) {
            throw new MalformedRequestException("Unsupported schemaVersion " + schemaVersion);
        }
    }

    /** Reads a completion this service recorded earlier; its optional fields (audio, attempt...) may be absent. */
    public static TranscodeCompleted readCompleted(String json) {
        try {
            return MAPPER.readerFor(TranscodeCompleted.class)
                    .without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                    .readValue(json);
        } catch (JsonProcessingException e) {
            throw new MalformedRequestException(
                    "Not a TranscodeCompleted: " + firstSentence(e.getOriginalMessage()), e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new MalformedRequestException("Empty record");
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MalformedRequestException(
                    "Not a " + type.getSimpleName() + ": " + firstSentence(e.getOriginalMessage()), e);
        }
    }

    /** Jackson's messages go on with advice about its own settings after a semicolon; readers need the first part. */
    private static String firstSentence(String message) {
        int end = message.indexOf(';');
        return end < 0 ? message : message.substring(0, end);
    }
}
