package dev.videobackend.catalog.upload;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import dev.videobackend.catalog.security.UserId;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A tus upload in progress: its bytes are in a partial file, {@link #uploadOffset} of them acknowledged. */
@Entity
@Table(name = "resumable_upload")
public class ResumableUpload extends PanacheEntityBase {

    @Id
    public UUID id;

    public UUID videoId;
    /** The user who created it, as shown; only they (by issuer and subject) or an admin may continue it. */
    public String createdBy;
    public String createdByIssuer;
    public String createdBySubject;
    public long length;
    public long uploadOffset;
    public Instant createdAt;
    public Instant expiresAt;
    /** What the media storage needs to resume the upload, saved with the offset (see {@code PartialSource}). */
    public String storageState;

    UserId creator() {
        return new UserId(createdByIssuer, createdBySubject);
    }

    boolean complete() {
        return uploadOffset == length;
    }
}
