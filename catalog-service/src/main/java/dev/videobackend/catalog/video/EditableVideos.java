package dev.videobackend.catalog.video;

import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Loads a video for a change, only if the caller may make it: the caller is checked for a token before the video
 * is looked up, and a video the caller may not see is reported missing (see {@link VideoAccess#requireEditable}).
 */
@ApplicationScoped
public class EditableVideos {

    private static final String WITH_RENDITIONS = "from Video v left join fetch v.renditions where v.id = ?1";

    /** The video with its renditions, as views show it; inside a session. */
    Uni<Video> withRenditions(UUID id, Caller caller) {
        VideoAccess.requireSignedIn(caller);
        // list(), not firstResult(): a row limit on a fetch join would be applied in memory.
        return Video.<Video>find(WITH_RENDITIONS, id).list()
                .map(videos -> require(videos.isEmpty() ? null : videos.get(0), id, caller));
    }

    /** The video alone, for a change that does not show it; inside a session. */
    Uni<Video> alone(UUID id, Caller caller) {
        VideoAccess.requireSignedIn(caller);
        return Video.<Video>findById(id).map(video -> require(video, id, caller));
    }

    private static Video require(Video video, UUID id, Caller caller) {
        VideoAccess.requireEditable(video == null ? null : video.accessFacts(), id, caller);
        return video;
    }
}
