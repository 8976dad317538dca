package dev.videobackend.catalog.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem body, with the same {@code code} the GraphQL API puts in {@code extensions.code}. Registered
 * for reflection because Jackson writes it from places a native build cannot trace: an exception mapper's
 * {@code Response} entity and Vert.x's {@code Json.encode}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem("about:blank", title, status, detail, code);
    }
}
