package dev.videobackend.catalog.video;

import dev.videobackend.catalog.security.Caller;
import dev.videobackend.catalog.security.VideoAccess;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Loads a video for a change, only if the caller may make it: the caller is checked for a token before the video
 * is looked up, and a video the caller may not see is reported missing (see {@link VideoAccess#requireEditable}).
 * The entity comes without its renditions: a change returns the video's id, and the API reads what it shows from
 * the read side once the change has committed.
 */
@ApplicationScoped
public class EditableVideos {

    /** The video, inside a session. */
    Uni<Video> load(UUID id, Caller caller) {
        VideoAccess.requireSignedIn(caller);
        return Video.<Video>findById(id).map(video -> {
            VideoAccess.requireEditable(video == null ? null : video.accessFacts(), id, caller);
            return video;
        });
    }
}
