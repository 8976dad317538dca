package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** An upload went over the configured size limit; nothing of it was kept. */
@ErrorCode(PayloadTooLargeException.CODE)
public final class PayloadTooLargeException extends CatalogException {

    public static final String CODE = "PAYLOAD_TOO_LARGE";

    public PayloadTooLargeException(String message) {
        super(message, CODE, 413);
    }
}
