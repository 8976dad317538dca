package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;

/** What was asked needs something this installation does not have (direct uploads need media on S3). */
@ErrorCode(UnsupportedFeatureException.CODE)
public final class UnsupportedFeatureException extends CatalogException {

    public static final String CODE = "UNSUPPORTED";

    public UnsupportedFeatureException(String message) {
        super(message, CODE, 501);
    }
}
