package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/**
 * One user is over a per-user limit: a quota of uploads (jobs at once, bytes or duration per day), uploads at once,
 * or subscriptions. The message names the limit and the property that sets it.
 */
@ErrorCode(QuotaExceededException.CODE)
public final class QuotaExceededException extends CatalogException {

    public static final String CODE = "QUOTA_EXCEEDED";

    public QuotaExceededException(String message) {
        super(message, CODE, 429);
    }
}
