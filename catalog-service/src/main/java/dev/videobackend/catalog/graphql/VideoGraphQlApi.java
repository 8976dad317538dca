package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.error.ErrorBoundary;
import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import dev.videobackend.catalog.video.CreateVideoInput;
import dev.videobackend.catalog.video.UpdateVideoInput;
import dev.videobackend.catalog.video.VideoCommands;
import dev.videobackend.catalog.video.VideoIds;
import dev.videobackend.catalog.video.VideoService;
import dev.videobackend.catalog.video.query.CategoryCount;
import dev.videobackend.catalog.video.query.ProgressFeed;
import dev.videobackend.catalog.video.query.VideoConnection;
import dev.videobackend.catalog.video.query.VideoFilter;
import dev.videobackend.catalog.video.query.VideoQueries;
import dev.videobackend.catalog.video.query.VideoView;
import graphql.schema.DataFetchingEnvironment;
import io.smallrye.graphql.api.Context;
import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The GraphQL face of the catalog; every rule lives in the services. Queries and the subscription are answered by
 * the read side ({@link VideoQueries}, {@link ProgressFeed}); mutations go to the write side, and what they return
 * is read back from the read side once they have committed. The caller is read from the request's security identity
 * before anything asynchronous starts.
 */
@GraphQLApi
@ErrorBoundary
public class VideoGraphQlApi {

    private final VideoService videos;
    private final VideoQueries queries;
    private final VideoCommands commands;
    private final ProgressFeed progress;
    private final VideoAccess access;
    private final SubscriptionLimits subscriptions;
    private final Context context;

    VideoGraphQlApi(VideoService videos, VideoQueries queries, VideoCommands commands, ProgressFeed progress,
            VideoAccess access, SubscriptionLimits subscriptions, Context context) {
        this.videos = videos;
        this.queries = queries;
        this.commands = commands;
        this.progress = progress;
        this.access = access;
        this.subscriptions = subscriptions;
        this.context = context;
    }

    @Query("video")
    @Description("One video, or null when there is none with this id that the caller may see.")
    public Uni<VideoView> video(@NonNull @Id @Name("id") String id) {
        return withId(id, queries::find);
    }

    @Query("videoBySlug")
    @Description("One video by its slug, or null when there is none the caller may list: an UNLISTED video of "
            + "someone else opens by its id only.")
    public Uni<VideoView> videoBySlug(@NonNull @Name("slug") String slug) {
        Caller caller = access.caller();
        return Uni.createFrom().deferred(() -> queries.findBySlug(slug, caller));
    }

    @Query("videos")
    @Description("Videos the caller may list, newest first, or most relevant first with a search term: PUBLIC and "
            + "READY ones, plus all of the caller's own (all videos for admins). UNLISTED videos of others never show "
            + "here.")
    public Uni<@NonNull VideoConnection> videos(@Name("filter") VideoFilter filter,
            @Name("first") @DefaultValue("20") @Description("Page size, 1 to 100.") Integer first,
            @Name("after") @Description("The endCursor of the previous page.") String after) {
        Caller caller = access.caller();
        // Fragments and aliases included: the selection set is graphql-java's normalised one.
        boolean withRenditions = context.unwrap(DataFetchingEnvironment.class).getSelectionSet()
                .contains("edges/node/renditions");
        return Uni.createFrom().deferred(() -> queries.list(filter, first, after, caller, withRenditions));
    }

    @Name("totalCount")
    @Description("Videos matching the filter that the caller may list, over all pages.")
    public Uni<@NonNull Integer> totalCount(@Source VideoConnection connection) {
        return queries.count(connection.filter(), connection.caller()).map(Math::toIntExact);
    }

    @Query("categories")
    @Description("The categories of the videos the caller may list, with counts, by name.")
    public Uni<@NonNull List<@NonNull CategoryCount>> categories() {
        Caller caller = access.caller();
        return Uni.createFrom().deferred(() -> queries.categories(caller));
    }

    @Mutation("createVideo")
    @Description("Creates a video owned by the caller (role uploader) in status AWAITING_UPLOAD; PUT its source "
            + "file to the uploadUrl it returns.")
    public Uni<@NonNull VideoView> createVideo(@NonNull @Name("input") CreateVideoInput input) {
        Caller caller = access.caller();
        return Uni.createFrom().deferred(() -> videos.create(input, caller))
                .chain(id -> queries.require(id, caller));
    }

    @Mutation("updateVideo")
    @Description("Changes the given fields (owner or admin). expectedVersion is the version last read; if the "
            + "video changed since, nothing is written and the error code is CONFLICT.")
    public Uni<@NonNull VideoView> updateVideo(@NonNull @Id @Name("id") String id,
            @NonNull @Name("expectedVersion") int expectedVersion, @NonNull @Name("input") UpdateVideoInput input) {
        return withId(id, (videoId, caller) -> videos.update(videoId, expectedVersion, input, caller)
                .chain(updated -> queries.require(updated, caller)));
    }

    @Mutation("deleteVideo")
    @Description("Deletes the video, its renditions and every stored file (owner or admin); a running transcode is "
            + "cancelled. Returns the id.")
    @Id
    public Uni<@NonNull String> deleteVideo(@NonNull @Id @Name("id") String id) {
        return withId(id, (videoId, caller) -> commands.delete(videoId, caller).map(UUID::toString));
    }

    @Mutation("retranscode")
    @Description("Transcodes the stored source again as a new job (owner or admin), from UPLOADED, READY or FAILED.")
    public Uni<@NonNull VideoView> retranscode(@NonNull @Id @Name("id") String id) {
        return withId(id, (videoId, caller) -> commands.retranscode(videoId, caller)
                .chain(changed -> queries.require(changed, caller)));
    }

    @Mutation("cancelTranscode")
    @Description("Stops the running transcode (owner or admin). The video returns to READY if an earlier transcode "
            + "completed, else to UPLOADED; retranscode starts again.")
    public Uni<@NonNull VideoView> cancelTranscode(@NonNull @Id @Name("id") String id) {
        return withId(id, (videoId, caller) -> commands.cancelTranscode(videoId, caller)
                .chain(changed -> queries.require(changed, caller)));
    }

    @Subscription("videoProgress")
    @Description("The video now, then after every change of its progress, status or fields, as it happens. "
            + "Completes when the video is deleted or no longer visible to the caller; ends with UNAUTHENTICATED when "
            + "the caller's token stops being accepted (its expiry plus the clock-skew leeway). At most "
            + "catalog.graphql.max-subscriptions-per-connection per connection and -per-user per user: over it, "
            + "QUOTA_EXCEEDED.")
    public Multi<VideoView> videoProgress(@NonNull @Id @Name("id") String id) {
        Caller caller = access.caller();
        UUID videoId = VideoIds.parse(id);
        SubscriptionLimits.Permit permit = subscriptions.open(caller);
        return Multi.createFrom().deferred(() -> progress.follow(videoId, caller))
                .onTermination().invoke(permit::close);
    }

    private <T> Uni<T> withId(String id, BiFunction<UUID, Caller, Uni<T>> operation) {
        Caller caller = access.caller();
        return Uni.createFrom().deferred(() -> operation.apply(VideoIds.parse(id), caller));
    }
}
