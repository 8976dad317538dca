package dev.videobackend.catalog.video.query;

import dev.videobackend.catalog.video.VideoStatus;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

/** Narrows a video list; absent fields do not filter. */
@Input("VideoFilter")
public record VideoFilter(
        String category,
        VideoStatus status,
        @Description("The owner's user name.") String owner,
        @Description("Full-text search over title and description (web-search syntax: words, \\\"quoted phrases\\\", "
                + "-excluded, or).") String search) {
}
