package dev.videobackend.catalog.error;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.core.Response;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failures of a database that is restarting, as the reactive client reports them (found by the fault suite's
 * DatabaseRestartFaultIT), become the retriable {@code UNAVAILABLE}, a full disk {@code INSUFFICIENT_STORAGE};
 * every other failure stays {@code INTERNAL}.
 */
class RetriableRefusalsTest {

    @Test
    void aDatabaseOutOfReachIsRecognisedThroughWrappers() {
        assertThat(UnavailableException.isCause(new CompletionException(new HibernateException(
                new ConnectException("Connection refused: localhost/127.0.0.1:5432"))))).isTrue();
        assertThat(UnavailableException.isCause(new CompletionException(ClosedConnectionException.INSTANCE))).isTrue();
        assertThat(UnavailableException.isCause(pg("57P01", "terminating connection due to administrator command")))
                .isTrue();
        assertThat(UnavailableException.isCause(pg("57P03", "the database system is starting up"))).isTrue();
        assertThat(UnavailableException.isCause(pg("08006", "connection failure"))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(UnavailableException.isCause(pg("23505", "duplicate key value violates unique constraint")))
                .isFalse();
        assertThat(UnavailableException.isCause(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void restAnswers503WithRetryAfterAndTheCode() {
        Response response = new ProblemMapper().unexpected(new CompletionException(
                new ConnectException("Connection refused")));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(((Problem) response.getEntity()).code()).isEqualTo("UNAVAILABLE");
        assertThat(new ProblemMapper().unexpected(new IllegalStateException("a bug")).getStatus()).isEqualTo(500);
    }

    @Test
    void aFullDiskIs507InsufficientStorage() {
        Response response = new ProblemMapper().unexpected(new UncheckedIOException("Could not store the source",
                new IOException("No space left on device")));

        assertThat(response.getStatus()).isEqualTo(507);
        Problem problem = (Problem) response.getEntity();
        assertThat(problem.code()).isEqualTo("INSUFFICIENT_STORAGE");
        assertThat(problem.title()).isEqualTo("Insufficient Storage");
        assertThat(InsufficientStorageException.isCause(new IOException("Connection reset by peer"))).isFalse();
    }

    private static PgException pg(String sqlState, String message) {
        return new PgException(message, "FATAL", sqlState, null);
    }
}
