package dev.videobackend.catalog.video.query;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one request read, while its answer is on its way into the {@link ReadCache}: the videos it showed or looked
 * up by id, the slugs it looked up, and whether it read a list, a count or the categories. The queries report to
 * the {@code Reads} attached to the request's Vert.x context, if any; other requests are not tracked.
 */
public final class Reads {

    private static final String KEY = Reads.class.getName();

    final long changesSeen;
    final long connection;
    final Set<UUID> videos = ConcurrentHashMap.newKeySet();
    final Set<String> slugs = ConcurrentHashMap.newKeySet();
    volatile boolean lists;

    Reads(long changesSeen, long connection) {
        this.changesSeen = changesSeen;
        this.connection = connection;
    }

    /** Tracks what the rest of the current request reads; call it on the request's Vert.x context. */
    void attach() {
        ContextLocals.put(KEY, this);
    }

    static void video(UUID id) {
        Reads reads = current();
        if (reads != null) {
            reads.videos.add(id);
        }
    }

    static void slug(String slug) {
        Reads reads = current();
        if (reads != null) {
            reads.slugs.add(slug);
        }
    }

    static void list() {
        Reads reads = current();
        if (reads != null) {
            reads.lists = true;
        }
    }

    private static Reads current() {
        return VertxContext.isOnDuplicatedContext() ? ContextLocals.get(KEY, null) : null;
    }
}
