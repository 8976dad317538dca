package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** The caller is known but may not do this: another user's video, or a role it lacks. */
@ErrorCode(ForbiddenException.CODE)
public final class ForbiddenException extends CatalogException {

    public static final String CODE = "FORBIDDEN";

    public ForbiddenException(String message) {
        super(message, CODE, 403);
    }
}
