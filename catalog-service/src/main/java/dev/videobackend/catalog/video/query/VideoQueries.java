package dev.videobackend.catalog.video.query;

import dev.videobackend.catalog.error.NotFoundException;
import dev.videobackend.catalog.error.ValidationException;
import dev.videobackend.catalog.security.AccessFacts;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.SqlCondition;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.video.VideoInputRules;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read side of the catalog: videos as {@link VideoView}s, straight from SQL through the reactive client, one
 * prepared statement per request (a page comes with its renditions). Nothing here loads an entity or writes.
 * Lists apply the listing rule of {@link VideoAccess#listedSql} as a predicate: a caller lists the {@code PUBLIC},
 * {@code READY} videos, plus all of their own (by issuer and subject); an admin lists everything. A video by id is
 * checked with {@link VideoAccess#canView}, by slug with the listing rule ({@link VideoAccess#isListedFor}): an
 * {@code UNLISTED} video opens by its id only. What each read looked at is reported to {@link Reads}, so that a
 * cached answer can be dropped when one of those videos changes.
 */
@ApplicationScoped
public class VideoQueries {

    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;
    /** The search term as a text-search query, English stemming; {@code %d} is the term's parameter. */
    private static final String SEARCH_QUERY = "websearch_to_tsquery('english', $%d)";

    private final Pool pool;
    private final VideoProjection projection;

    VideoQueries(Pool pool, VideoProjection projection) {
        this.pool = pool;
        this.projection = projection;
    }

    /** The video with its renditions, or {@code null} when there is none the caller may see. */
    public Uni<VideoView> find(UUID id, Caller caller) {
        Reads.video(id);
        return one("SELECT " + VideoProjection.COLUMNS + " FROM video v WHERE v.id = $1", Tuple.of(id), caller,
                VideoAccess::canView);
    }

    /**
     * Like {@link #find}, by slug, with the listing rule: slugs are derived from titles, so an {@code UNLISTED}
     * video of someone else is not found by one.
     */
    public Uni<VideoView> findBySlug(String slug, Caller caller) {
        Reads.slug(slug);
        return one("SELECT " + VideoProjection.COLUMNS + " FROM video v WHERE v.slug = $1", Tuple.of(slug), caller,
                        VideoAccess::isListedFor)
                .invoke(view -> {
                    if (view != null) {
                        Reads.video(UUID.fromString(view.id()));
                    }
                });
    }

    /** Like {@link #find}, for a video the caller has just changed: its absence is an error. */
    public Uni<VideoView> require(UUID id, Caller caller) {
        return find(id, caller).onItem().ifNull().failWith(() -> new NotFoundException("No video " + id));
    }

    private Uni<VideoView> one(String sql, Tuple parameters, Caller caller, BiPredicate<AccessFacts, Caller> rule) {
        return pool.preparedQuery(sql).execute(parameters).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            VideoProjection.Projected video = projection.read(rows.iterator().next());
            return rule.test(video.access(), caller) ? video.view() : null;
        });
    }

    /**
     * A page of the videos the caller may list. {@code withRenditions} is whether the caller asked for the nodes'
     * renditions: without, they are not read (each video's would be a subquery), and the views' lists are empty.
     */
    public Uni<VideoConnection> list(VideoFilter filter, Integer first, String after, Caller caller,
            boolean withRenditions) {
        int pageSize = first == null ? DEFAULT_PAGE : first;
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            throw new ValidationException("first must be between 1 and " + MAX_PAGE);
        }
        VideoFilter criteria = filter == null ? new VideoFilter(null, null, null, null, null) : filter;
        boolean search = hasSearch(criteria);
        Cursors.Position position = after == null ? null : Cursors.parse(after, search);
        Sql sql = where(criteria, caller);
        // With a search term the most relevant come first (ts_rank_cd, cover density), ties newest first.
        String rank = search ? "ts_rank_cd(v.search_vector, " + sql.searchQuery() + ")" : "CAST(NULL AS real)";
        if (position != null) {
            String createdAt = sql.parameter(OffsetDateTime.ofInstant(position.createdAt(), ZoneOffset.UTC));
            String id = sql.parameter(position.id());
            sql.and(search
                    ? "(" + rank + ", v.created_at, v.id) < (CAST(" + sql.parameter(position.rank()) + " AS real), "
                            + createdAt + ", " + id + ")"
                    : "(v.created_at, v.id) < (" + createdAt + ", " + id + ")");
        }
        String limit = sql.parameter(pageSize + 1);
        String columns = withRenditions ? VideoProjection.COLUMNS : VideoProjection.COLUMNS_WITHOUT_RENDITIONS;
        // A search ranks every match, a few hundred rows: it sorts narrow rows and reads the page's wide ones after.
        String statement = search
                ? "SELECT " + columns + ", page.rank FROM (SELECT v.id, v.created_at, " + rank + " AS rank"
                        + " FROM video v WHERE " + sql.text()
                        + " ORDER BY rank DESC, v.created_at DESC, v.id DESC LIMIT " + limit + ") page"
                        + " JOIN video v ON v.id = page.id ORDER BY page.rank DESC, page.created_at DESC, page.id DESC"
                : "SELECT " + columns + ", " + rank + " AS rank FROM video v WHERE " + sql.text()
                        + " ORDER BY v.created_at DESC, v.id DESC LIMIT " + limit;
        Reads.list();
        return pool.preparedQuery(statement).execute(sql.parameters()).map(rows -> {
            List<VideoConnection.Edge> edges = new ArrayList<>(Math.min(rows.size(), pageSize));
            for (Row row : rows) {
                if (edges.size() == pageSize) {
                    break;
                }
                VideoView view = projection.read(row).view();
                UUID id = UUID.fromString(view.id());
                Reads.video(id);
                Float rowRank = row.getFloat(VideoProjection.WIDTH);
                edges.add(new VideoConnection.Edge(
                        Cursors.of(new Cursors.Position(rowRank, view.createdAt(), id)), view));
            }
            String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
            return new VideoConnection(edges, new VideoConnection.PageInfo(rows.size() > pageSize, end), criteria,
                    caller);
        });
    }

    /** How many videos match the filter among those the caller may list, over all pages. */
    public Uni<Long> count(VideoFilter filter, Caller caller) {
        Sql sql = where(filter, caller);
        Reads.list();
        return pool.preparedQuery("SELECT count(*) FROM video v WHERE " + sql.text()).execute(sql.parameters())
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Categories of the videos the caller may list, with counts, by name. */
    public Uni<List<CategoryCount>> categories(Caller caller) {
        Sql sql = where(new VideoFilter(null, null, null, null, null), caller);
        Reads.list();
        return pool.preparedQuery("SELECT v.category, count(*) FROM video v WHERE " + sql.text()
                        + " GROUP BY v.category ORDER BY v.category")
                .execute(sql.parameters())
                .map(VideoQueries::categoryCounts);
    }

    private static List<CategoryCount> categoryCounts(RowSet<Row> rows) {
        List<CategoryCount> counts = new ArrayList<>(rows.size());
        rows.forEach(row -> counts.add(new CategoryCount(row.getString(0), Math.toIntExact(row.getLong(1)))));
        return counts;
    }

    private static Sql where(VideoFilter filter, Caller caller) {
        Sql sql = new Sql();
        sql.and(VideoAccess.listedSql(caller));
        if (filter.category() != null) {
            sql.and("v.category = " + sql.parameter(VideoInputRules.requireCategory(filter.category())));
        }
        if (filter.status() != null) {
            sql.and("v.status = " + sql.parameter(filter.status().name()));
        }
        if (filter.owner() != null) {
            sql.and("v.owner = " + sql.parameter(VideoInputRules.requireOwnerName(filter.owner())));
        }
        if (Boolean.TRUE.equals(filter.mine())) {
            VideoAccess.requireSignedIn(caller);
            sql.and(new SqlCondition("v.owner_subject = :mineSubject AND v.owner_issuer = :mineIssuer",
                    Map.of("mineSubject", caller.id().subject(), "mineIssuer", caller.id().issuer())));
        }
        if (hasSearch(filter)) {
            sql.search(VideoInputRules.requireSearch(filter.search()));
            sql.and("v.search_vector @@ " + sql.searchQuery());
        }
        return sql;
    }

    private static boolean hasSearch(VideoFilter filter) {
        return filter.search() != null && !filter.search().isBlank();
    }

    /**
     * A WHERE clause built from fixed fragments, every value a positional parameter: the statement's text depends
     * only on which filters are present, so a handful of prepared statements serve every request.
     */
    private static final class Sql {
        /** A named parameter of a {@link SqlCondition}; not the second colon of a {@code ::} cast. */
        private static final Pattern NAMED = Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9_]*)");

        private final List<String> conditions = new ArrayList<>();
        private final List<Object> values = new ArrayList<>();
        private String searchQuery;

        void and(String condition) {
            conditions.add(condition);
        }

        /** Adds a condition whose values are named parameters, as positional ones. */
        void and(SqlCondition condition) {
            Matcher named = NAMED.matcher(condition.text());
            StringBuilder text = new StringBuilder();
            while (named.find()) {
                String name = named.group(1);
                if (!condition.parameters().containsKey(name)) {
                    throw new IllegalArgumentException("No value for :" + name + " in " + condition.text());
                }
                named.appendReplacement(text, Matcher.quoteReplacement(parameter(condition.parameters().get(name))));
            }
            named.appendTail(text);
            and(text.toString());
        }

        /** Adds a value; returns its placeholder. */
        String parameter(Object value) {
            values.add(value);
            return "$" + values.size();
        }

        void search(String term) {
            searchQuery = SEARCH_QUERY.formatted(values.size() + 1);
            values.add(term);
        }

        String searchQuery() {
            return searchQuery;
        }

        String text() {
            return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
        }

        Tuple parameters() {
            return Tuple.from(values);
        }
    }
}
