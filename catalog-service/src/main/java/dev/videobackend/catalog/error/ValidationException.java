package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** The input breaks a documented rule; the message says which. */
@ErrorCode(ValidationException.CODE)
public final class ValidationException extends CatalogException {

    public static final String CODE = "VALIDATION";

    public ValidationException(String message) {
        super(message, CODE, 400);
    }
}
