package dev.videobackend.catalog.security;

import dev.videobackend.catalog.error.ForbiddenException;
import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.error.UnauthenticatedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The catalog's access policy, in one place for GraphQL, uploads and media. Anyone sees a {@code READY} video that
 * is {@code PUBLIC} (in lists, by slug and by id) or {@code UNLISTED} (by id only: a random UUID is the only
 * unguessable handle); its owner and admins see everything. Uploaders change their own videos; admins change any.
 * A video the caller may not see is absent: every refusal about it is exactly the refusal for a missing one.
 */
@ApplicationScoped
public class VideoAccess {

    private final SecurityIdentity identity;
    private final Duration clockSkew;

    VideoAccess(SecurityIdentity identity,
            @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") int clockSkewSeconds) {
        this.identity = identity;
        this.clockSkew = Duration.ofSeconds(clockSkewSeconds);
    }

    /**
     * The caller of the current request; call it while the request is active, not in a later callback. A token
     * is verified once per HTTP request, but once per connection on a WebSocket: an operation sent over a socket
     * after the token stopped being accepted is refused here.
     */
    public Caller caller() {
        Caller caller = Caller.of(identity, clockSkew);
        if (caller.acceptedUntil() != null && Instant.now().isAfter(caller.acceptedUntil())) {
            throw tokenExpired();
        }
        return caller;
    }

    public static UnauthenticatedException tokenExpired() {
        return new UnauthenticatedException("The token expired; connect or subscribe again with a fresh one");
    }

    /** Whether the caller may see this video when asking for it by its id. */
    public static boolean canView(AccessFacts video, Caller caller) {
        return caller.admin() || caller.owns(video.owner())
                || (video.ready() && video.visibility() != Visibility.PRIVATE);
    }

    /**
     * Whether the video shows in the caller's lists and searches, and is found by its slug: slugs are derived from
     * titles, so an {@code UNLISTED} video must not open by one. {@link #listedSql} is the same rule in SQL.
     */
    public static boolean isListedFor(AccessFacts video, Caller caller) {
        return caller.admin() || caller.owns(video.owner())
                || (video.ready() && video.visibility() == Visibility.PUBLIC);
    }

    /** {@link #isListedFor} as a condition on the {@code video} table. */
    public static SqlCondition listedSql(Caller caller) {
        if (caller.admin()) {
            return new SqlCondition("TRUE", Map.of());
        }
        String everyone = "(status = 'READY' AND visibility = 'PUBLIC')";
        if (caller.anonymous()) {
            return new SqlCondition(everyone, Map.of());
        }
        return new SqlCondition("(" + everyone + " OR (owner_subject = :callerSubject AND owner_issuer = :callerIssuer))",
                Map.of("callerSubject", caller.id().subject(), "callerIssuer", caller.id().issuer()));
    }

    /**
     * Refuses an anonymous caller, whatever the video: call it before looking the video up, so that the answer
     * does not depend on whether it exists. Also refuses an identity the catalog could not store.
     */
    public static void requireSignedIn(Caller caller) {
        if (caller.anonymous()) {
            throw new UnauthenticatedException("This operation needs a bearer token");
        }
        caller.requireStorable();
    }

    /** Refuses a caller who may not create videos. */
    public static void requireUploader(Caller caller) {
        requireSignedIn(caller);
        if (!caller.uploader() && !caller.admin()) {
            throw new ForbiddenException("Creating videos needs the role " + Caller.UPLOADER);
        }
    }

    /**
     * Refuses a caller who may not change (update, upload to, transcode, delete) the video {@code id}: one that is
     * missing ({@code null}) or that the caller may not see is {@link #notFound}, one they see but may not change is
     * {@code FORBIDDEN}.
     */
    public static void requireEditable(AccessFacts video, UUID id, Caller caller) {
        requireSignedIn(caller);
        if (video == null || !canView(video, caller)) {
            throw notFound(id);
        }
        if (caller.admin() || (caller.uploader() && caller.owns(video.owner()))) {
            return;
        }
        throw new ForbiddenException("Only the owner of video " + id + " or an admin may change it");
    }

    /** The one answer for a video that is missing or that the caller may not see. */
    public static NotFoundException notFound(UUID id) {
        return new NotFoundException("No video " + id);
    }
}
