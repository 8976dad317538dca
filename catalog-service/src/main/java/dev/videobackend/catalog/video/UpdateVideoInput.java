package dev.videobackend.catalog.video;

import dev.videobackend.catalog.security.Visibility;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import java.util.List;

/** The fields to change; an absent field keeps its value. The rules are those of {@link CreateVideoInput}. */
@Input("UpdateVideoInput")
public record UpdateVideoInput(
        String title,
        String description,
        String category,
        @Description("New words for the slug, which gets a fresh random part; the old slug stops resolving.") String slug,
        @Description("Replaces every tag.") List<String> tags,
        Visibility visibility) {
}
