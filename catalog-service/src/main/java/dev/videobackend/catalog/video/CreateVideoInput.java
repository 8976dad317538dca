package dev.videobackend.catalog.video;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

/** What a client says of a new video. */
@Input("CreateVideoInput")
public record CreateVideoInput(
        @NonNull @Description("1 to 200 characters.") String title,
        @Description("Up to 5000 characters; empty when absent.") String description,
        @NonNull @Description("1 to 64 characters: letters, digits, '-' or '_'; stored in lower case.") String category) {
}
