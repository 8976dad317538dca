package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.QuotaExceededException;
import dev.videobackend.catalog.media.IdleTimeoutBody;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.UserId;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an upload body may take of this replica: each user sends at most {@code catalog.upload.max-concurrent-per-
 * uploader} bodies at once, and a body that sends nothing for {@code catalog.upload.idle-timeout} is given up. Both
 * apply before and while the body is read on a worker thread, so that slow or stalled senders cannot hold them all.
 */
@ApplicationScoped
public class UploadSlots {

    private final UploadConfig config;
    private final Vertx vertx;
    private final Map<UserId, Integer> sending = new ConcurrentHashMap<>();

    UploadSlots(UploadConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** Takes one of the caller's slots and guards {@code body}, read by the current thread; close it when done. */
    Slot take(Caller caller, InputStream body) {
        UserId user = caller.id();
        boolean[] taken = {false};
        sending.compute(user, (ignored, count) -> {
            int current = count == null ? 0 : count;
            taken[0] = current < config.maxConcurrentPerUploader();
            return taken[0] ? current + 1 : count;
        });
        if (!taken[0]) {
            throw new QuotaExceededException("At most " + config.maxConcurrentPerUploader() + " uploads of one user "
                    + "may be sent at once (catalog.upload.max-concurrent-per-uploader); send the next when one ends");
        }
        return new Slot(user, new IdleTimeoutBody(body, config.idleTimeout(), vertx));
    }

    /** A body being sent: its guarded stream, and the slot it holds until closed. */
    final class Slot implements AutoCloseable {

        private final UserId user;
        private final IdleTimeoutBody body;

        private Slot(UserId user, IdleTimeoutBody body) {
            this.user = user;
            this.body = body;
        }

        InputStream body() {
            return body;
        }

        @Override
        public void close() {
            body.close();
            sending.computeIfPresent(user, (ignored, count) -> count <= 1 ? null : count - 1);
        }
    }
}
