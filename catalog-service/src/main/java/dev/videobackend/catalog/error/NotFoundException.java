package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** The thing asked for does not exist (or the caller may not know it does). */
@ErrorCode(NotFoundException.CODE)
public final class NotFoundException extends CatalogException {

    public static final String CODE = "NOT_FOUND";

    public NotFoundException(String message) {
        super(message, CODE, 404);
    }
}
