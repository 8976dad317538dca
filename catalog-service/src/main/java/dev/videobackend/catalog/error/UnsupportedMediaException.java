package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** The upload is not a kind of file the catalog takes (by its content, not its declared type). */
@ErrorCode(UnsupportedMediaException.CODE)
public final class UnsupportedMediaException extends CatalogException {

    public static final String CODE = "UNSUPPORTED_MEDIA";

    public UnsupportedMediaException(String message) {
        super(message, CODE, 415);
    }
}
