package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ErrorBoundary;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/** The GraphQL face of the catalog; every rule lives in the services. */
@GraphQLApi
@ErrorBoundary
public class VideoGraphQlApi {

    private final VideoService videos;

    VideoGraphQlApi(VideoService videos) {
        this.videos = videos;
    }

    @Query("video")
    @Description("One video, or null when there is none with this id.")
    public Uni<VideoView> video(@NonNull @Id @Name("id") String id) {
        return Uni.createFrom().item(() -> VideoIds.parse(id)).chain(videos::find);
    }

    @Mutation("createVideo")
    @Description("Creates a video in status AWAITING_UPLOAD; PUT its source file to the uploadUrl it returns.")
    public Uni<@NonNull VideoView> createVideo(@NonNull @Name("input") CreateVideoInput input) {
        return videos.create(input);
    }
}
