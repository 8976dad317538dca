package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** A direct upload would need more parts than allowed: at most the part size times the part count fits. */
@ErrorCode(TooManyPartsException.CODE)
public final class TooManyPartsException extends CatalogException {

    public static final String CODE = "TOO_MANY_PARTS";

    public TooManyPartsException(String message) {
        super(message, CODE, 413);
    }
}
