package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.QuotaExceededException;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.UserId;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The per-uploader quotas of {@link QuotaConfig}, kept in the {@code uploader_usage} ledger (bytes and measured
 * seconds per UTC day), which deleting a video does not give back. The authoritative check runs in the transaction
 * that starts a job, under a per-uploader advisory lock, so that concurrent uploads cannot all slip under a limit.
 */
@ApplicationScoped
public class UploaderQuotas {

    private static final String LOCK = "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtext(:issuer || ' ' || :subject))) locked";
    private static final String USAGE = """
            SELECT coalesce(sum(source_bytes), 0), coalesce(sum(source_seconds), 0) FROM uploader_usage
            WHERE owner_subject = :subject AND owner_issuer = :issuer AND day = :day""";
    private static final String ADD = """
            INSERT INTO uploader_usage (owner_issuer, owner_subject, day, source_bytes, source_seconds)
            VALUES (:issuer, :subject, :day, :bytes, :seconds)
            ON CONFLICT (owner_subject, owner_issuer, day) DO UPDATE SET
                source_bytes = uploader_usage.source_bytes + EXCLUDED.source_bytes,
                source_seconds = uploader_usage.source_seconds + EXCLUDED.source_seconds""";

    private final QuotaConfig config;

    UploaderQuotas(QuotaConfig config) {
        this.config = config;
    }

    /**
     * Refuses early, before a body is read, an upload of {@code bytes} that today's byte quota cannot take. Not
     * final: {@link #chargeJob} checks again when the upload is accepted.
     */
    public Uni<Void> requireRoomFor(UserId uploader, long bytes, Caller caller) {
        if (caller.admin()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> usage(uploader)).invoke(used -> requireBytes(used, bytes)).replaceWithVoid();
    }

    /**
     * In the transaction that queues a job of {@code video} (an upload of {@code sourceBytes}, or 0 for a
     * retranscode): refuses it over a quota, else charges the bytes to the owner's day.
     */
    Uni<Void> chargeJob(Video video, long sourceBytes, Caller caller) {
        if (caller.admin()) {
            return Uni.createFrom().voidItem();
        }
        UserId owner = video.ownerId();
        return lock(owner)
                .chain(() -> Video.count("ownerSubject = ?1 and ownerIssuer = ?2 and status in ?3 and id <> ?4",
                        owner.subject(), owner.issuer(), List.of(VideoStatus.QUEUED, VideoStatus.PROCESSING), video.id))
                .invoke(active -> {
                    if (active >= config.maxActiveTranscodes()) {
                        throw new QuotaExceededException("At most " + config.maxActiveTranscodes() + " videos of one "
                                + "uploader may be queued or transcoding at once (catalog.quota.max-active-transcodes); "
                                + "wait for one to finish or cancel it");
                    }
                })
                .chain(() -> usage(owner))
                .invoke(used -> {
                    requireBytes(used, sourceBytes);
                    if (used.seconds() >= config.maxSourceDurationPerDay().toSeconds()) {
                        throw new QuotaExceededException("Today's sources of this uploader already last "
                                + Math.round(used.seconds()) + " s, the daily quota of "
                                + config.maxSourceDurationPerDay().toSeconds()
                                + " s (catalog.quota.max-source-duration-per-day); try again tomorrow (UTC)");
                    }
                })
                .chain(() -> add(owner, sourceBytes, 0));
    }

    /** Charges the duration the transcoder measured of a completed job's source to the owner's day. */
    Uni<Void> chargeDuration(UserId owner, double seconds) {
        return add(owner, 0, seconds);
    }

    private void requireBytes(Usage used, long bytes) {
        if (used.bytes() + bytes > config.maxSourceBytesPerDay()) {
            throw new QuotaExceededException("This upload of " + bytes + " bytes would take today's sources of this "
                    + "uploader to " + (used.bytes() + bytes) + " bytes, over the daily quota of "
                    + config.maxSourceBytesPerDay() + " (catalog.quota.max-source-bytes-per-day)");
        }
    }

    private static Uni<Void> lock(UserId owner) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LOCK, Long.class)
                .setParameter("issuer", owner.issuer()).setParameter("subject", owner.subject())
                .getSingleResult()).replaceWithVoid();
    }

    private static Uni<Usage> usage(UserId owner) {
        return Panache.getSession().chain(session -> session.createNativeQuery(USAGE, Object[].class)
                        .setParameter("issuer", owner.issuer()).setParameter("subject", owner.subject())
                        .setParameter("day", today()).getSingleResult())
                .map(row -> new Usage(((Number) row[0]).longValue(), ((Number) row[1]).doubleValue()));
    }

    private static Uni<Void> add(UserId owner, long bytes, double seconds) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ADD)
                .setParameter("issuer", owner.issuer()).setParameter("subject", owner.subject())
                .setParameter("day", today()).setParameter("bytes", bytes).setParameter("seconds", seconds)
                .executeUpdate()).replaceWithVoid();
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private record Usage(long bytes, double seconds) {
    }
}
