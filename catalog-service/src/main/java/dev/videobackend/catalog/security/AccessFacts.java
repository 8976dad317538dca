package dev.videobackend.catalog.security;

/** What the access rules need to know of a video: who owns it, who may find it, and whether it is playable. */
public record AccessFacts(UserId owner, Visibility visibility, boolean ready) {
}
