package dev.videobackend.catalog.video;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells every catalog replica that a video changed, through PostgreSQL {@code LISTEN/NOTIFY}: the change's
 * transaction sends the notification, which PostgreSQL delivers only once it commits, to every listening replica,
 * whichever replica's Kafka consumer or mutation made the change. Subscriptions then read the committed state, and
 * the read side's cache drops what the change made stale. Notifications sent while the listening connection is
 * down are lost: {@link #connections()} tells when it was made again.
 */
@ApplicationScoped
public class VideoChanges {

    static final String CHANNEL = "video_changes";
    private static final String ANNOUNCE = "SELECT pg_notify('" + CHANNEL + "', ?1)";
    private static final Logger LOG = Logger.getLogger(VideoChanges.class);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final BroadcastProcessor<UUID> changed = BroadcastProcessor.create();
    private final AtomicLong connections = new AtomicLong();
    private final Vertx vertx;
    private final PgConnectOptions options;
    private PgSubscriber subscriber;

    VideoChanges(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(user)
                .setPassword(password.orElse(""));
    }

    void listen(@Observes StartupEvent started) {
        subscriber = PgSubscriber.subscriber(vertx, options)
                // keep listening across database restarts: retry forever, once a second
                .reconnectPolicy(retries -> RECONNECT_DELAY.toMillis());
        subscriber.channel(CHANNEL)
                .subscribeHandler(this::listening)
                .handler(this::received);
        subscriber.connect().subscribe().with(
                connected -> LOG.debugf("Connected to listen to %s", CHANNEL),
                failure -> LOG.errorf(failure, "Cannot listen to %s: live progress is off until it reconnects", CHANNEL));
    }

    void close(@Observes ShutdownEvent stopping) {
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
    }

    private void listening() {
        connections.incrementAndGet();
        LOG.debugf("Listening to %s", CHANNEL);
    }

    private void received(String payload) {
        try {
            changed.onNext(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            LOG.warnf("Ignored a notification on %s that is not a video id: %s", CHANNEL, payload);
        }
    }

    /** Announces a change of the video; call it inside the transaction of the change. */
    public static Uni<Void> announce(UUID videoId) {
        // pg_notify rather than NOTIFY, which takes no bind parameters: one statement for every video.
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(ANNOUNCE).setParameter(1, videoId.toString()).executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Changes of one video, from now on. Only the latest change matters to a subscriber that reads the state
     * afterwards, so a slow one skips intermediate notifications instead of failing.
     */
    public Multi<UUID> of(UUID videoId) {
        return changed.select().where(videoId::equals).onOverflow().dropPreviousItems();
    }

    /** Every change from now on, none skipped. */
    public Multi<UUID> all() {
        return changed;
    }

    /**
     * How many times the listening connection has been made: 0 until the first, and one more after each loss and
     * reconnection, across which notifications may have been missed.
     */
    public long connections() {
        return connections.get();
    }
}
