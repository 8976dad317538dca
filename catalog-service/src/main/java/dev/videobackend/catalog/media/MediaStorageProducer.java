package dev.videobackend.catalog.media;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Instant;
import java.util.Optional;

/**
 * The configured {@link MediaStorage} (the S3 client is created only when a bucket is used), and the sweep that
 * aborts multipart uploads abandoned in the bucket.
 */
@ApplicationScoped
public class MediaStorageProducer {

    private static final Logger LOG = Logger.getLogger(MediaStorageProducer.class);

    private final MediaStorage storage;
    private final StorageConfig config;

    MediaStorageProducer(StorageConfig config, MediaConfig media, Instance<S3Client> s3,
            Instance<S3Presigner> presigner) {
        this.config = config;
        this.storage = switch (config.type()) {
            case FILESYSTEM -> new FilesystemMediaStorage(media.root());
            case S3 -> new S3MediaStorage(s3.get(), presigner::get, config.s3());
        };
        LOG.infof("Media is stored in %s", storage);
    }

    @Produces
    MediaStorage storage() {
        return storage;
    }

    /** The media directory, when media is stored in one. */
    public Optional<FilesystemMediaStorage> directory() {
        return storage instanceof FilesystemMediaStorage files ? Optional.of(files) : Optional.empty();
    }

    /** The bucket, when media is stored in one. */
    public Optional<S3MediaStorage> bucket() {
        return storage instanceof S3MediaStorage s3 ? Optional.of(s3) : Optional.empty();
    }

    @Scheduled(every = "${catalog.storage.s3.abandoned-upload-sweep-interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void abortAbandonedUploads() {
        bucket().ifPresent(s3 -> {
            try {
                s3.abortAbandonedUploads(Instant.now().minus(config.s3().abandonedUploadAge()));
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not sweep the abandoned multipart uploads of %s; the next sweep tries again", s3);
            }
        });
    }
}
