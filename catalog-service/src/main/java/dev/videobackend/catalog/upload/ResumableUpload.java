package dev.videobackend.catalog.upload;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
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
    public String createdBy;
    public long length;
    public long uploadOffset;
    public Instant createdAt;
    public Instant expiresAt;

    boolean complete() {
        return uploadOffset == length;
    }
}
