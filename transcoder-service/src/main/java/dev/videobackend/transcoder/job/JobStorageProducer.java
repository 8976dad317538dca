package dev.videobackend.transcoder.job;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/** The configured {@link JobStorage}; the S3 client is created only when the bucket is used. */
@ApplicationScoped
class JobStorageProducer {

    private static final Logger LOG = Logger.getLogger(JobStorageProducer.class);

    @Produces
    @ApplicationScoped
    @Startup
    JobStorage jobStorage(JobStorageConfig storage, TranscoderConfig config, Instance<S3Client> s3) {
        JobStorage chosen = switch (storage.type()) {
            case FILESYSTEM -> new FilesystemJobStorage(config.media().root());
            case S3 -> new S3JobStorage(s3.get(), storage);
        };
        LOG.infof("Jobs read sources from and publish renditions to %s", chosen);
        return chosen;
    }

    void close(@Disposes JobStorage storage) {
        if (storage instanceof S3JobStorage s3) {
            s3.close();
        }
    }
}
