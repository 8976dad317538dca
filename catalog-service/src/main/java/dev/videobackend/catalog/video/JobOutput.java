package dev.videobackend.catalog.video;

import dev.videobackend.catalog.events.MalformedEventException;
import dev.videobackend.catalog.events.TranscodeCompleted;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where a job's output may be: only inside its own directory, {@code renditions/{videoId}/{jobId}/}, so that no
 * event can point the catalog (and, through it, players) at a source or at another video's files.
 */
final class JobOutput {

    private JobOutput() {
    }

    static String directory(UUID videoId, UUID jobId) {
        return "renditions/" + videoId + "/" + jobId + "/";
    }

    /** Refuses a completion that lists no rendition or names any path outside its job's directory. */
    static void requireInsideJobDirectory(UUID videoId, TranscodeCompleted completed) {
        if (completed.renditions() == null || completed.renditions().isEmpty()) {
            throw new MalformedEventException("TranscodeCompleted " + completed.eventId() + " lists no rendition");
        }
        List<String> paths = new ArrayList<>();
        paths.add(completed.masterPlaylistPath());
        completed.allRenditions().forEach(rendition -> paths.add(rendition.path()));
        if (completed.poster() != null) {
            paths.add(completed.poster().path());
        }
        if (completed.progressive() != null) {
            paths.add(completed.progressive().path());
        }
        if (completed.audio() != null) {
            paths.add(completed.audio().path());
        }
        if (completed.storyboard() != null) {
            paths.add(completed.storyboard().path());
            if (completed.storyboard().sprites() == null || completed.storyboard().sprites().isEmpty()) {
                throw new MalformedEventException("TranscodeCompleted " + completed.eventId()
                        + " has a storyboard without sprites");
            }
            completed.storyboard().sprites().forEach(sprite -> paths.add(sprite.path()));
        }
        String directory = directory(videoId, completed.jobId());
        for (String path : paths) {
            if (path == null || !path.startsWith(directory) || path.contains("..") || path.contains("//")) {
                throw new MalformedEventException("Path " + path + " is not under " + directory);
            }
        }
    }
}
