package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.error.QuotaExceededException;
import dev.videobackend.catalog.media.IdleTimeoutBody;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.UserId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an upload body may take of this replica: each user sends at most {@code catalog.upload.max-concurrent-per-
 * uploader} bodies at once, and a body that sends nothing for {@code catalog.upload.idle-timeout} is given up. Both
 * apply before and while the body is read on a worker thread, so that slow or stalled senders cannot hold them all.
 * The bodies being sent and the bytes received are metered ({@code catalog_uploads_in_progress},
 * {@code catalog_upload_received_bytes_total}).
 */
@ApplicationScoped
@Startup // its meters are scraped before the first upload
public class UploadSlots {

    private final UploadConfig config;
    private final Vertx vertx;
    private final Map<UserId, Integer> sending = new ConcurrentHashMap<>();
    private final Counter received;

    UploadSlots(UploadConfig config, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        Gauge.builder("catalog.uploads.in.progress", sending,
                        counts -> counts.values().stream().mapToInt(Integer::intValue).sum())
                .description("Upload bodies being received by this replica").register(registry);
        this.received = Counter.builder("catalog.upload.received").baseUnit("bytes")
                .description("Bytes of upload bodies received").register(registry);
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
            return new FilterInputStream(body) {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int read = super.read(buffer, offset, length);
                    if (read > 0) {
                        received.increment(read);
                    }
                    return read;
                }
            };
        }

        @Override
        public void close() {
            body.close();
            sending.computeIfPresent(user, (ignored, count) -> count <= 1 ? null : count - 1);
        }
    }
}
