package dev.videobackend.catalog.error;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a GraphQL API class: failures that are not a {@link CatalogException} are logged and replaced by an
 * {@link InternalErrorException}, so that callers see the code {@code INTERNAL}, never a name derived from an
 * exception class.
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface ErrorBoundary {
}
