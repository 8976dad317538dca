package dev.videobackend.catalog.error;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.jboss.logging.Logger;

@ErrorBoundary
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
class ErrorBoundaryInterceptor {

    private static final Logger LOG = Logger.getLogger(ErrorBoundaryInterceptor.class);

    @AroundInvoke
    Object guard(InvocationContext invocation) throws Exception {
        String operation = invocation.getMethod().getName();
        Object result;
        try {
            result = invocation.proceed();
        } catch (RuntimeException e) {
            throw hide(operation, e);
        }
        if (result instanceof Uni<?> uni) {
            return uni.onFailure().transform(failure -> hide(operation, failure));
        }
        if (result instanceof Multi<?> multi) {
            return multi.onFailure().transform(failure -> hide(operation, failure));
        }
        return result;
    }

    private static RuntimeException hide(String operation, Throwable failure) {
        if (failure instanceof CatalogException refusal) {
            return refusal;
        }
        if (UnavailableException.isCause(failure)) {
            // Expected while the database restarts; the readiness check already says so, one line is enough.
            LOG.warnf("GraphQL operation %s refused: the database is unreachable (%s)", operation, failure);
            return new UnavailableException();
        }
        LOG.errorf(failure, "GraphQL operation %s failed", operation);
        return new InternalErrorException();
    }
}
