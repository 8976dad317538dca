package dev.videobackend.catalog.video.query;

import dev.videobackend.catalog.video.VideoStatus;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

/** Narrows a video list; absent fields do not filter. */
@Input("VideoFilter")
public record VideoFilter(
        String category,
        VideoStatus status,
        @Description("The owner's user name as shown (at most 255 characters).") String owner,
        @Description("Full-text search over title and description (web-search syntax: words, \\\"quoted phrases\\\", "
                + "-excluded, or), at most 200 characters.") String search,
        @Description("Only the caller's own videos, found by the identity in their token (issuer and subject), not "
                + "by the name shown, which two users may share; needs a bearer token.") Boolean mine) {
}
