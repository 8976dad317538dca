package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** The operation needs a valid bearer token and the request had none; REST answers carry {@code WWW-Authenticate: Bearer}. */
@ErrorCode(UnauthenticatedException.CODE)
public final class UnauthenticatedException extends CatalogException {

    public static final String CODE = "UNAUTHENTICATED";

    public UnauthenticatedException(String message) {
        super(message, CODE, 401);
    }
}
