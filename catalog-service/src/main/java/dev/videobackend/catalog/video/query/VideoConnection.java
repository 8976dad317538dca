package dev.videobackend.catalog.video.query;

import dev.videobackend.catalog.security.Caller;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import java.util.List;

/**
 * One page of videos, in the list's order, in the cursor-connection shape clients know. Its {@code totalCount}
 * is resolved from the filter and caller kept here, only when a query selects it: counting every matching row
 * costs far more than reading one page.
 */
@Type("VideoConnection")
public record VideoConnection(
        @NonNull List<@NonNull Edge> edges,
        @NonNull PageInfo pageInfo,
        @Ignore VideoFilter filter,
        @Ignore Caller caller) {

    @Type("VideoEdge")
    public record Edge(@NonNull @Description("Opaque; pass it as 'after' to read on from here.") String cursor,
            @NonNull VideoView node) {
    }

    @Type("PageInfo")
    public record PageInfo(@NonNull boolean hasNextPage, String endCursor) {
    }
}
