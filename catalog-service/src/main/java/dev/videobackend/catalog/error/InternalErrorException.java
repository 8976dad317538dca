package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** Stands in for an unexpected failure, which is logged in full and never shown to the caller. */
@ErrorCode(InternalErrorException.CODE)
public final class InternalErrorException extends CatalogException {

    public static final String CODE = "INTERNAL";

    public InternalErrorException() {
        super("The server could not complete the request.", CODE, 500);
    }
}
