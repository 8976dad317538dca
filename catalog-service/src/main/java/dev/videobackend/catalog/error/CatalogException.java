package dev.videobackend.catalog.error;

/**
 * A refusal the caller can act on. Each subclass carries one stable error code: GraphQL reports it as
 * {@code extensions.code}, REST as the {@code code} of a problem body with the matching HTTP status.
 */
public abstract sealed class CatalogException extends RuntimeException
        permits NotFoundException, ValidationException, ConflictException, PayloadTooLargeException,
        InternalErrorException, ForbiddenException, UnauthenticatedException, UnsupportedMediaException {

    protected CatalogException(String message) {
        super(message, null, false, false);
    }

    /** The stable, documented code clients switch on. */
    public abstract String code();

    /** The HTTP status a REST endpoint answers with. */
    public abstract int httpStatus();
}
