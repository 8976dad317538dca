package dev.videobackend.catalog.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem body, with the same {@code code} the GraphQL API puts in {@code extensions.code}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem("about:blank", title, status, detail, code);
    }
}
