package dev.videobackend.catalog.error;

import io.smallrye.graphql.api.ErrorCode;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.net.ConnectException;
import java.util.Set;

/**
 * The database cannot be reached right now (it is restarting, failing over, or the network to it is down): a
 * refusal the caller should retry after {@link #RETRY_AFTER_SECONDS}, answered with 503, unlike an unexpected
 * failure. Nothing of the request was committed.
 */
@ErrorCode(UnavailableException.CODE)
public final class UnavailableException extends CatalogException {

    public static final String CODE = "UNAVAILABLE";
    public static final int RETRY_AFTER_SECONDS = 5;

    /** SQLSTATEs of a server that is shutting down or starting up: admin_shutdown, crash_shutdown, cannot_connect_now. */
    private static final Set<String> SERVER_GOING_OR_COMING = Set.of("57P01", "57P02", "57P03");

    public UnavailableException() {
        super("The service cannot reach its database right now; nothing was changed. Try again shortly.", CODE, 503);
    }

    /**
     * Whether {@code failure}, or one of its causes, says the database is out of reach: a refused connection, a
     * connection it closed, or an error of its connection class (SQLSTATE 08) or of a shutdown or start-up.
     */
    public static boolean isCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof ClosedConnectionException) {
                return true;
            }
            if (cause instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || SERVER_GOING_OR_COMING.contains(pg.getSqlState()))) {
                return true;
            }
        }
        return false;
    }
}
