package dev.videobackend.catalog.security;

/** Who may find a video; {@link VideoAccess} has the full rule. */
public enum Visibility {
    /** Listed, searchable and playable by anyone once READY. */
    PUBLIC,
    /** Never listed or searchable, and not found by slug; anyone with its id (a random UUID) may watch it once READY. */
    UNLISTED,
    /** Only its owner and admins. */
    PRIVATE
}
