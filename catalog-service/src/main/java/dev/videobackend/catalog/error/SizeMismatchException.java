package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** What arrived is not the size that was declared; nothing of it was kept. */
@ErrorCode(SizeMismatchException.CODE)
public final class SizeMismatchException extends CatalogException {

    public static final String CODE = "SIZE_MISMATCH";

    public SizeMismatchException(String message) {
        super(message, CODE, 400);
    }
}
