package dev.videobackend.catalog.video.query;

import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/** A category in use, with how many videos the caller may list in it. */
@Type("Category")
public record CategoryCount(@NonNull String name, @NonNull int count) {
}
