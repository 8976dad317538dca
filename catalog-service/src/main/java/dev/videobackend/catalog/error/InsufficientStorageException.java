package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

import java.io.IOException;

/**
 * The media volume is full (or the catalog's quota on it is used up): an upload cannot be stored now, and nothing
 * of it was kept. {@code 507}, as WebDAV defines it; the client can try again once an operator made room.
 */
@ErrorCode(InsufficientStorageException.CODE)
public final class InsufficientStorageException extends CatalogException {

    public static final String CODE = "INSUFFICIENT_STORAGE";

    public InsufficientStorageException() {
        super("The media storage is full; nothing of the upload was kept. Try again later.", CODE, 507);
    }

    /**
     * Whether {@code failure}, or one of its causes, is the file system saying it is full: Java reports ENOSPC and
     * EDQUOT only through the message of an {@link IOException}, the operating system's own text.
     */
    public static boolean isCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IOException && cause.getMessage() != null
                    && (cause.getMessage().contains("No space left on device")
                            || cause.getMessage().contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
