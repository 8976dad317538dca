package dev.videobackend.catalog.video;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import java.util.List;

/** One page of videos, in the list's order, in the cursor-connection shape clients know. */
@Type("VideoConnection")
public record VideoConnection(
        @NonNull List<@NonNull Edge> edges,
        @NonNull PageInfo pageInfo,
        @NonNull @Description("Videos matching the filter that the caller may list, over all pages.") long totalCount) {

    @Type("VideoEdge")
    public record Edge(@NonNull @Description("Opaque; pass it as 'after' to read on from here.") String cursor,
            @NonNull VideoView node) {
    }

    @Type("PageInfo")
    public record PageInfo(@NonNull boolean hasNextPage, String endCursor) {
    }
}
