package dev.videobackend.catalog.video;

import dev.videobackend.catalog.error.ErrorBoundary;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
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
    private final VideoAccess access;

    VideoGraphQlApi(VideoService videos, VideoAccess access) {
        this.videos = videos;
        this.access = access;
    }

    @Query("video")
    @Description("One video, or null when there is none with this id that the caller may see.")
    public Uni<VideoView> video(@NonNull @Id @Name("id") String id) {
        Caller caller = access.caller();
        return Uni.createFrom().item(() -> VideoIds.parse(id)).chain(videoId -> videos.find(videoId, caller));
    }

    @Query("videoBySlug")
    @Description("One video by its slug, or null when there is none the caller may see.")
    public Uni<VideoView> videoBySlug(@NonNull @Name("slug") String slug) {
        return videos.findBySlug(slug, access.caller());
    }

    @Mutation("createVideo")
    @Description("Creates a video owned by the caller (role uploader) in status AWAITING_UPLOAD; PUT its source "
            + "file to the uploadUrl it returns.")
    public Uni<@NonNull VideoView> createVideo(@NonNull @Name("input") CreateVideoInput input) {
        Caller caller = access.caller();
        return Uni.createFrom().deferred(() -> videos.create(input, caller));
    }
}
