package dev.videobackend.catalog.security;

import dev.videobackend.catalog.error.ForbiddenException;
import dev.videobackend.catalog.error.UnauthenticatedException;
import dev.videobackend.catalog.video.Video;
import dev.videobackend.catalog.video.VideoStatus;
import dev.videobackend.catalog.video.Visibility;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The catalog's access policy, in one place for GraphQL, uploads and media. Anyone sees a {@code READY} video
 * that is {@code PUBLIC}, or {@code UNLISTED} when asked for it by id or slug (never in lists); its owner and
 * admins see everything. Uploaders change their own videos; admins change any.
 */
@ApplicationScoped
public class VideoAccess {

    private final SecurityIdentity identity;

    VideoAccess(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The caller of the current request; call it while the request is active, not in a later callback. */
    public Caller caller() {
        return Caller.of(identity);
    }

    /** Whether the caller may see this video when asking for it by id or slug. */
    public static boolean canView(Video video, Caller caller) {
        return canView(video.owner, video.status, video.visibility, caller);
    }

    /** {@link #canView(Video, Caller)} for a video read without its entity (the read side's projections). */
    public static boolean canView(String owner, VideoStatus status, Visibility visibility, Caller caller) {
        return caller.admin() || caller.owns(owner) || (status == VideoStatus.READY && visibility != Visibility.PRIVATE);
    }

    /** Whether the video shows in the caller's lists and searches; the SQL of the lists applies the same rule. */
    public static boolean canList(String owner, VideoStatus status, Visibility visibility, Caller caller) {
        return caller.admin() || caller.owns(owner) || (status == VideoStatus.READY && visibility == Visibility.PUBLIC);
    }

    /** Refuses a caller who may not create videos. */
    public static void requireUploader(Caller caller) {
        requireSignedIn(caller);
        if (!caller.uploader() && !caller.admin()) {
            throw new ForbiddenException("Creating videos needs the role " + Caller.UPLOADER);
        }
    }

    /** Refuses a caller who may not change (update, upload to, transcode, delete) this video. */
    public static void requireEditable(Video video, Caller caller) {
        requireSignedIn(caller);
        if (caller.admin() || (caller.uploader() && caller.owns(video.owner))) {
            return;
        }
        throw new ForbiddenException("Only the owner of video " + video.id + " or an admin may change it");
    }

    private static void requireSignedIn(Caller caller) {
        if (caller.anonymous()) {
            throw new UnauthenticatedException("This operation needs a bearer token");
        }
    }
}
