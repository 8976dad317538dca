package dev.videobackend.catalog.upload;

import dev.videobackend.catalog.security.UserId;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A direct-to-bucket upload in progress: a multipart upload under {@link #path} whose parts the client sends to the
 * bucket itself, with presigned URLs valid until {@link #expiresAt}.
 */
@Entity
@Table(name = "direct_upload")
public class DirectUpload extends PanacheEntityBase {

    @Id
    public UUID id;

    public UUID videoId;
    /** The user who started it, as shown; only they (by issuer and subject) or an admin may complete it. */
    public String createdBy;
    public String createdByIssuer;
    public String createdBySubject;
    /** Relative to the bucket's prefix. */
    public String path;
    public String multipartUploadId;
    public long sizeBytes;
    public long partSizeBytes;
    public Instant createdAt;
    public Instant expiresAt;
    /** When the completion under way began; null when none is. */
    public Instant completingSince;

    UserId creator() {
        return new UserId(createdByIssuer, createdBySubject);
    }
}
