package dev.videobackend.catalog.error;

/**
 * A refusal the caller can act on. Each subclass carries one stable error code: GraphQL reports it as
 * {@code extensions.code}, REST as the {@code code} of a problem body with the matching HTTP status.
 */
public abstract sealed class CatalogException extends RuntimeException
        permits NotFoundException, ValidationException, ConflictException, PayloadTooLargeException,
        InternalErrorException, ForbiddenException, UnauthenticatedException, UnsupportedMediaException,
        QuotaExceededException, UnavailableException, InsufficientStorageException, StorageUnavailableException,
        UnsupportedFeatureException, TooManyPartsException, SizeMismatchException, UploadExpiredException {

    private final String code;
    private final int httpStatus;

    protected CatalogException(String message, String code, int httpStatus) {
        super(message, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The stable, documented code clients switch on. */
    public String code() {
        return code;
    }

    /** The HTTP status a REST endpoint answers with. */
    public int httpStatus() {
        return httpStatus;
    }
}
