package dev.videobackend.catalog.video.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.videobackend.catalog.security.AccessFacts;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.UserId;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.security.Visibility;
import dev.videobackend.catalog.video.VideoChanges;
import dev.videobackend.catalog.video.VideoStatus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Answers to anonymous reads, kept in memory and dropped when a change makes them stale. Only anonymous answers are
 * kept, so each is the same for every caller that gets it. An answer records what its request read ({@link Reads})
 * and the generation of each of those things when it was stored; every change notification ({@link VideoChanges},
 * PostgreSQL {@code LISTEN/NOTIFY}, sent on commit by whichever replica made the change) moves generations on:
 * <ul>
 * <li>the changed video's, always: an answer that showed it, or looked it up and found nothing, is stale;</li>
 * <li>its slug's, when anonymous callers may now find it by slug (the listing rule: never an {@code UNLISTED}
 * one): a lookup of that slug that found nothing is stale;</li>
 * <li>every list's, when anonymous callers may now list it: any list, count or category may now include it.</li>
 * </ul>
 * So a change to a video nobody anonymous can see (the progress of a transcode, an edit of a private video) keeps
 * every answer; while a change's lookup of the video is under way, no answer that depends on lists or slugs is
 * used. An answer whose request overlapped a change is not stored, and none is used until the listening connection
 * exists, nor across its loss (a lost connection may have missed notifications). Generations live in a fixed array
 * of stripes: two things that share a stripe only cost each other a few extra misses.
 */
@ApplicationScoped
public class ReadCache {

    private static final Logger LOG = Logger.getLogger(ReadCache.class);
    private static final int STRIPES = 4096;
    private static final String CURRENT_STATE =
            "SELECT slug, owner_issuer, owner_subject, status, visibility FROM video WHERE id = $1";

    /** A stored answer, and the validator clients send back to revalidate it. */
    public record Answer(byte[] body, String tag) {
    }

    /** {@code settles}: whether the answer depends on lists or slugs, which a change's lookup may still move on. */
    private record Entry(Answer answer, long connection, long lists, boolean settles, int[] stripes,
            long[] generations) {
    }

    private final boolean enabled;
    private final Cache<String, Entry> entries;
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    private final AtomicLong lists = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicInteger lookups = new AtomicInteger();
    private final VideoChanges feed;
    private final Pool pool;

    ReadCache(ReadCacheConfig config, VideoChanges feed, Pool pool) {
        this.enabled = config.enabled();
        this.feed = feed;
        this.pool = pool;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(config.maxBytes())
                .weigher((String key, Entry entry) -> key.length() * 2 + entry.answer().body().length)
                .expireAfterWrite(config.timeToLive())
                .build();
        if (enabled) {
            feed.all().subscribe().with(this::changed, failure -> LOG.error("The change feed failed", failure));
        }
    }

    /** The stored answer of this request, if it is still current. */
    public Optional<Answer> get(String key) {
        if (!enabled) {
            return Optional.empty();
        }
        Entry entry = entries.getIfPresent(key);
        if (entry == null || !current(entry)) {
            return Optional.empty();
        }
        return Optional.of(entry.answer());
    }

    /**
     * Starts tracking what the current request reads (on its Vert.x context), for {@link #store}; empty when
     * nothing can be stored now.
     */
    public Optional<Reads> track() {
        long connection = feed.connections();
        if (!enabled || connection == 0) {
            return Optional.empty();
        }
        Reads reads = new Reads(changes.get(), connection);
        reads.attach();
        return Optional.of(reads);
    }

    /** Stores the answer of a tracked request, unless a change arrived meanwhile; returns whether it did. */
    public boolean store(String key, Reads reads, Answer answer) {
        int[] stripes = new int[reads.videos.size() + reads.slugs.size()];
        int i = 0;
        for (UUID video : reads.videos) {
            stripes[i++] = stripe(video);
        }
        for (String slug : reads.slugs) {
            stripes[i++] = stripe(slug);
        }
        long[] seen = new long[stripes.length];
        for (int s = 0; s < stripes.length; s++) {
            seen[s] = generations.get(stripes[s]);
        }
        long listGeneration = reads.lists ? lists.get() : -1;
        // Read after the generations: a change that lands in between is caught here, one after is caught by get().
        if (changes.get() != reads.changesSeen || feed.connections() != reads.connection) {
            return false;
        }
        entries.put(key, new Entry(answer, reads.connection, listGeneration, reads.lists || !reads.slugs.isEmpty(),
                stripes, seen));
        return true;
    }

    private boolean current(Entry entry) {
        if (entry.connection() != feed.connections()) {
            return false;
        }
        if (entry.settles() && lookups.get() > 0) {
            // A change's lookup is under way: it may yet move on the lists' or a slug's generation.
            return false;
        }
        if (entry.lists() >= 0 && entry.lists() != lists.get()) {
            return false;
        }
        for (int s = 0; s < entry.stripes().length; s++) {
            if (generations.get(entry.stripes()[s]) != entry.generations()[s]) {
                return false;
            }
        }
        return true;
    }

    private void changed(UUID video) {
        changes.incrementAndGet();
        generations.incrementAndGet(stripe(video));
        // What the change may have added to anonymous answers depends on the video's state now; the answers that
        // depend on it wait until the lookup has moved their generations on.
        lookups.incrementAndGet();
        pool.preparedQuery(CURRENT_STATE).execute(Tuple.of(video))
                .invoke(rows -> rows.forEach(this::visibleNow))
                .onFailure().invoke(failure -> {
                    LOG.warnf(failure, "Could not read video %s after its change: dropping every cached answer", video);
                    entries.invalidateAll();
                })
                .eventually(lookups::decrementAndGet)
                .subscribe().with(ignored -> { }, ignored -> { });
    }

    private void visibleNow(Row video) {
        AccessFacts facts = new AccessFacts(new UserId(video.getString(1), video.getString(2)),
                Visibility.valueOf(video.getString(4)), VideoStatus.valueOf(video.getString(3)) == VideoStatus.READY);
        // Slugs and lists follow the same rule: a video anonymous callers may list is also found by its slug.
        if (VideoAccess.isListedFor(facts, Caller.ANONYMOUS)) {
            generations.incrementAndGet(stripe(video.getString(0)));
            lists.incrementAndGet();
        }
    }

    private static int stripe(UUID video) {
        return spread(Long.hashCode(video.getMostSignificantBits() ^ video.getLeastSignificantBits()));
    }

    private static int stripe(String slug) {
        return spread(slug.hashCode() * 31 + 17);
    }

    private static int spread(int hash) {
        return (hash ^ (hash >>> 16)) & (STRIPES - 1);
    }
}
