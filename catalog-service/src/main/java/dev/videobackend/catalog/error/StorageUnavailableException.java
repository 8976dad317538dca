package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** The object store could not be reached or refused the request: worth retrying later; nothing was kept. */
@ErrorCode(StorageUnavailableException.CODE)
public final class StorageUnavailableException extends CatalogException {

    public static final String CODE = "STORAGE_UNAVAILABLE";

    public StorageUnavailableException(String message) {
        super(message, CODE, 503);
    }
}
