package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** The request clashes with the current state: an illegal status change, or a stale version. */
@ErrorCode(ConflictException.CODE)
public final class ConflictException extends CatalogException {

    public static final String CODE = "CONFLICT";

    public ConflictException(String message) {
        super(message, CODE, 409);
    }
}
