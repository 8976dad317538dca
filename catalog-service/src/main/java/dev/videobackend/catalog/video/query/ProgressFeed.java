package dev.videobackend.catalog.video.query;

import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.video.VideoChanges;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code videoProgress} subscription: the video's current state, then its state after every committed change
 * (progress, status, edits), as {@link VideoChanges} announces them on every replica. The stream completes when
 * the video is deleted or the caller may no longer see it, and fails with {@code UNAUTHENTICATED} when the
 * caller's token stops being accepted (its expiry plus the clock-skew leeway every request gets): the token was
 * verified once, when the subscription started.
 */
@ApplicationScoped
public class ProgressFeed {

    private static final Duration MINIMUM_DELAY = Duration.ofMillis(1);

    private final VideoChanges changes;
    private final VideoQueries videos;
    private final Vertx vertx;

    ProgressFeed(VideoChanges changes, VideoQueries videos, Vertx vertx) {
        this.changes = changes;
        this.videos = videos;
        this.vertx = vertx;
    }

    public Multi<VideoView> follow(UUID id, Caller caller) {
        Multi<VideoView> feed = states(id, caller);
        if (caller.acceptedUntil() == null) {
            return feed;
        }
        // The feed's end is an empty marker, so that the merge ends with it rather than waiting for the expiry.
        // Mutiny refuses a zero delay: a token that expires right now ends the stream a millisecond later.
        Duration remaining = Duration.between(Instant.now(), caller.acceptedUntil());
        Multi<Optional<VideoView>> expiry = Uni.createFrom().item(Optional.<VideoView>empty())
                .onItem().delayIt().by(remaining.compareTo(MINIMUM_DELAY) < 0 ? MINIMUM_DELAY : remaining)
                .onItem().failWith(VideoAccess::tokenExpired)
                .toMulti();
        return Multi.createBy().merging()
                .streams(feed.map(Optional::of).onCompletion().continueWith(Optional.empty()), expiry)
                .select().first(Optional::isPresent)
                .map(Optional::get);
    }

    private Multi<VideoView> states(UUID id, Caller caller) {
        // Listen first, then read: a change committed in between is not missed, at worst read twice.
        Multi<UUID> triggers = Multi.createBy().merging().streams(changes.of(id), Multi.createFrom().item(id));
        return current(id, caller)
                .onItem().transformToMulti(initial -> {
                    if (initial.isEmpty()) {
                        throw VideoAccess.notFound(id);
                    }
                    return triggers.onItem().transformToUniAndConcatenate(ignored -> current(id, caller));
                })
                .select().first(Optional::isPresent)
                .map(Optional::get)
                .skip().repetitions();
    }

    /**
     * Reads the video on a fresh Vert.x context of its own: notifications arrive on the listener's connection, and
     * each read must neither run there nor see another request's context.
     */
    private Uni<Optional<VideoView>> current(UUID id, Caller caller) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> videos.find(id, caller).map(Optional::ofNullable)
                    .subscribe().with(emitter::complete, emitter::fail));
        });
    }
}
