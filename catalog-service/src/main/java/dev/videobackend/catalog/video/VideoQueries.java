package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ValidationException;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.SqlCondition;
import dev.videobackend.catalog.security.VideoAccess;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Lists, searches and counts videos in SQL, with the listing rule of {@link VideoAccess#listedSql} as a predicate:
 * a caller lists the {@code PUBLIC}, {@code READY} videos, plus all of their own; an admin lists everything.
 */
@ApplicationScoped
public class VideoQueries {

    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;
    /** The search term as a text-search query, English stemming. */
    private static final String QUERY = "websearch_to_tsquery('english', :search)";
    private static final String BY_IDS = "from Video v left join fetch v.renditions where v.id in ?1";

    private final VideoViews views;

    VideoQueries(VideoViews views) {
        this.views = views;
    }

    @WithSession
    public Uni<VideoConnection> list(VideoFilter filter, Integer first, String after, Caller caller) {
        int pageSize = first == null ? DEFAULT_PAGE : first;
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            throw new ValidationException("first must be between 1 and " + MAX_PAGE);
        }
        VideoFilter criteria = filter == null ? new VideoFilter(null, null, null, null) : filter;
        boolean search = hasSearch(criteria);
        Cursors.Position position = after == null ? null : Cursors.parse(after, search);
        Sql page = filter(criteria, caller);
        // With a search term the most relevant come first (ts_rank_cd, cover density), ties newest first.
        String rank = search ? "ts_rank_cd(search_vector, " + QUERY + ")" : "CAST(NULL AS real)";
        String order = search ? "rank DESC, created_at DESC, id DESC" : "created_at DESC, id DESC";
        String ranked = "SELECT id, created_at, " + rank + " AS rank FROM video WHERE " + page.text();
        if (position != null) {
            page.bind("afterCreatedAt", position.createdAt()).bind("afterId", position.id());
            if (search) {
                page.bind("afterRank", position.rank());
            }
        }
        String resumeAfter = position == null ? "TRUE"
                : search ? "(rank, created_at, id) < (CAST(:afterRank AS real), :afterCreatedAt, :afterId)"
                : "(created_at, id) < (:afterCreatedAt, :afterId)";
        String pageSql = "SELECT id, rank FROM (" + ranked + ") ranked WHERE " + resumeAfter + " ORDER BY " + order
                + " LIMIT " + (pageSize + 1);
        return Panache.getSession().chain(session -> page.bindTo(session.createNativeQuery(pageSql, Object[].class))
                .getResultList()
                .chain(rows -> {
                    Map<UUID, Float> ranks = new LinkedHashMap<>();
                    rows.stream().limit(pageSize)
                            .forEach(row -> ranks.put((UUID) row[0], row[1] == null ? null : ((Number) row[1]).floatValue()));
                    return load(List.copyOf(ranks.keySet())).map(videos -> {
                        List<VideoConnection.Edge> edges = videos.stream()
                                .map(video -> new VideoConnection.Edge(Cursors.of(video, ranks.get(video.id)),
                                        views.of(video)))
                                .toList();
                        String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
                        return new VideoConnection(edges, new VideoConnection.PageInfo(rows.size() > pageSize, end),
                                criteria, caller);
                    });
                }));
    }

    /** How many videos match the filter among those the caller may list, over all pages. */
    @WithSession
    public Uni<Long> count(VideoFilter filter, Caller caller) {
        Sql where = filter(filter, caller);
        return Panache.getSession().chain(session -> where.bindTo(session.createNativeQuery(
                "SELECT count(*) FROM video WHERE " + where.text(), Long.class)).getSingleResult());
    }

    /** Categories of the videos the caller may list, with counts, by name. */
    @WithSession
    public Uni<List<CategoryCount>> categories(Caller caller) {
        Sql where = filter(new VideoFilter(null, null, null, null), caller);
        return Panache.getSession().chain(session -> where.bindTo(session.createNativeQuery(
                        "SELECT category, count(*) FROM video WHERE " + where.text()
                                + " GROUP BY category ORDER BY category", Object[].class)).getResultList())
                .map(rows -> rows.stream()
                        .map(row -> new CategoryCount((String) row[0], ((Number) row[1]).intValue()))
                        .toList());
    }

    private static Sql filter(VideoFilter filter, Caller caller) {
        Sql sql = new Sql();
        SqlCondition listed = VideoAccess.listedSql(caller);
        sql.and(listed.text());
        listed.parameters().forEach(sql::bind);
        if (filter.category() != null) {
            sql.and("category = :category").bind("category", VideoInputRules.requireCategory(filter.category()));
        }
        if (filter.status() != null) {
            sql.and("status = :status").bind("status", filter.status().name());
        }
        if (filter.owner() != null) {
            sql.and("owner = :owner").bind("owner", VideoInputRules.requireOwnerName(filter.owner()));
        }
        if (hasSearch(filter)) {
            sql.and("search_vector @@ " + QUERY)
                    .bind("search", VideoInputRules.requireSearch(filter.search()));
        }
        return sql;
    }

    private static boolean hasSearch(VideoFilter filter) {
        return filter.search() != null && !filter.search().isBlank();
    }

    /** The videos with their renditions, in the order of {@code ids}. */
    private static Uni<List<Video>> load(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Video.<Video>find(BY_IDS, ids).list().map(videos -> {
            Map<UUID, Video> byId = new LinkedHashMap<>();
            videos.forEach(video -> byId.putIfAbsent(video.id, video));
            List<Video> ordered = new ArrayList<>();
            ids.forEach(id -> ordered.add(byId.get(id)));
            // a video deleted between the two queries is simply left out
            ordered.removeIf(Objects::isNull);
            return ordered;
        });
    }

    /** A WHERE clause built from fixed fragments; every value is a bind parameter. */
    private static final class Sql {
        private final List<String> conditions = new ArrayList<>();
        private final Map<String, Object> parameters = new LinkedHashMap<>();

        Sql and(String condition) {
            conditions.add(condition);
            return this;
        }

        Sql bind(String name, Object value) {
            parameters.put(name, value);
            return this;
        }

        String text() {
            return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
        }

        <R> Mutiny.SelectionQuery<R> bindTo(Mutiny.SelectionQuery<R> query) {
            parameters.forEach(query::setParameter);
            return query;
        }
    }
}
