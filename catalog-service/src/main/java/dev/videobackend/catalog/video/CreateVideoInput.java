package dev.videobackend.catalog.video;

import dev.videobackend.catalog.security.Visibility;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

import java.util.List;

/** What a client says of a new video. */
@Input("CreateVideoInput")
public record CreateVideoInput(
        @NonNull @Description("1 to 200 characters, no control or bidirectional-override characters.") String title,
        @Description("Up to 5000 characters (line breaks and tabs allowed); empty when absent.") String description,
        @NonNull @Description("1 to 64 characters: letters, digits, '-' or '_'; stored in lower case.") String category,
        @Description("The slug's words: up to 91 characters, lower-case letters and digits in words joined by "
                + "dashes. The slug is these words (the title's when absent) and a random part of 8 characters.")
        String slug,
        @Description("Up to 20 tags, each 1 to 40 characters: letters, digits, '-' or '_'; stored in lower case.")
        List<String> tags,
        @Description("PUBLIC when absent.") Visibility visibility) {
}
