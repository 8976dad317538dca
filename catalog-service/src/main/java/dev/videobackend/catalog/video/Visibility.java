package dev.videobackend.catalog.video;

/** Who may find a video; see {@code VideoAccess} for the full rule. */
public enum Visibility {
    /** Listed, searchable and playable by anyone once READY. */
    PUBLIC,
    /** Not listed or searchable; anyone with its id or slug may watch it once READY. */
    UNLISTED,
    /** Only its owner and admins. */
    PRIVATE
}
