package dev.videobackend.catalog.media;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A stored file or directory that nothing references any more, waiting for {@link FileDeletions} to remove it. */
@Entity
@Table(name = "file_deletion")
public class FileDeletion extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Relative to the media root. */
    public String path;
    public Instant requestedAt;
    public int attempts;
    public Instant lastAttemptAt;
    public String lastError;
    /** When a failed removal is due again ({@code null}: at once); see {@link FileDeletions#backoff}. */
    public Instant nextAttemptAt;
}
