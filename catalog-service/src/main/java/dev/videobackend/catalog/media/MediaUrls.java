package dev.videobackend.catalog.media;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** The URLs clients use for uploads and media, absolute when a public base URL is configured. */
@ApplicationScoped
public class MediaUrls {

    /** Where resumable (tus) uploads are created. */
    public static final String UPLOADS_PATH = "/api/uploads";
    /** Where renditions are served: {@code /media/{videoId}/{jobId}/{file}}. */
    public static final String MEDIA_PATH = "/media";

    private final String base;

    MediaUrls(MediaConfig config) {
        this.base = config.publicBaseUrl().map(url -> url.replaceAll("/+$", "")).orElse("");
    }

    /** Where a rendition stored at {@code path} (relative to the media root) is served. */
    public String rendition(String path) {
        if (!path.startsWith(MediaStorage.RENDITIONS + "/")) {
            throw new IllegalArgumentException("Not a rendition path: " + path);
        }
        return base + MEDIA_PATH + "/" + path.substring(MediaStorage.RENDITIONS.length() + 1);
    }

    /** The prefix of every media URL of a video, of all its jobs. */
    public String mediaPrefix(UUID videoId) {
        return base + MEDIA_PATH + "/" + videoId + "/";
    }

    /** Where the source of a video is uploaded with {@code PUT}. */
    public String upload(UUID videoId) {
        return base + "/api/videos/" + videoId + "/source";
    }

    /** Where a resumable upload continues: its tus URL. */
    public String resumableUpload(UUID uploadId) {
        return base + UPLOADS_PATH + "/" + uploadId;
    }
}
