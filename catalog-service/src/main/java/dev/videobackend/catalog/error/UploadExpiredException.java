package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** An upload was not completed in time; what was sent of it is removed. */
@ErrorCode(UploadExpiredException.CODE)
public final class UploadExpiredException extends CatalogException {

    public static final String CODE = "UPLOAD_EXPIRED";

    public UploadExpiredException(String message) {
        super(message, CODE, 410);
    }
}
