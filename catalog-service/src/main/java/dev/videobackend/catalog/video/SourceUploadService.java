package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.PayloadTooLargeException;
import dev.videobackend.catalog.events.OutboxRelay;
import dev.videobackend.catalog.media.MediaConfig;
import dev.videobackend.catalog.media.MediaStorage;
import dev.videobackend.catalog.media.StoredSource;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Takes in a video's source: streams it to storage, then commits the new job and its event together. Runs on a
 * worker thread, because the body is read as a blocking stream; database work hops onto a Vert.x context.
 */
@ApplicationScoped
public class SourceUploadService {

    private static final Logger LOG = Logger.getLogger(SourceUploadService.class);

    private final VideoService videos;
    private final MediaStorage storage;
    private final OutboxRelay relay;
    private final long maxUploadBytes;

    SourceUploadService(VideoService videos, MediaStorage storage, OutboxRelay relay, MediaConfig config) {
        this.videos = videos;
        this.storage = storage;
        this.relay = relay;
        this.maxUploadBytes = config.maxUploadBytes();
    }

    /**
     * @param declaredLength the request's {@code Content-Length}, or {@code null} for a chunked body, whose size
     *                       is then checked while it streams
     */
    public UploadAccepted upload(UUID videoId, Long declaredLength, InputStream body) {
        if (declaredLength != null && declaredLength > maxUploadBytes) {
            throw tooLarge();
        }
        // Refuse an unknown video before reading a byte of a possibly huge body.
        await(() -> videos.requireExists(videoId));
        StoredSource stored = storage.storeSource(videoId, body, maxUploadBytes);
        VideoService.SourceAccepted accepted;
        try {
            accepted = await(() -> videos.acceptSource(videoId, stored));
        } catch (RuntimeException e) {
            try {
                storage.delete(stored.path());
            } catch (UncheckedIOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        relay.publishSoon();
        if (accepted.replacedSourcePath() != null) {
            deleteReplaced(accepted);
        }
        return new UploadAccepted(videoId.toString(), accepted.status(), accepted.jobId().toString(),
                stored.sizeBytes(), stored.sha256());
    }

    private PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("The upload is larger than the limit of " + maxUploadBytes + " bytes");
    }

    private void deleteReplaced(VideoService.SourceAccepted accepted) {
        try {
            storage.delete(accepted.replacedSourcePath());
        } catch (UncheckedIOException e) {
            // The new source is committed; a stale file left behind is worth a warning, not a failed upload.
            LOG.warnf(e, "Could not delete the replaced source %s of video %s", accepted.replacedSourcePath(),
                    accepted.videoId());
        }
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
