package dev.videobackend.catalog.media;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * The URLs clients use for uploads and media, absolute when a public base URL is configured. With media in a bucket,
 * {@code catalog.storage.delivery=redirect} and {@code catalog.storage.s3.public-base-url} (a CDN), public videos'
 * renditions are named by their CDN URL, where {@code /media} would redirect them anyway; every other rendition by its
 * {@code /media} URL, which checks access on every request and redirects to a presigned URL made then. So no
 * presigned URL is ever handed out ahead of its use: it could not outlive a cached answer, and the relative URLs
 * inside a playlist still reach the catalog (a presigned playlist would name unsigned siblings).
 */
@ApplicationScoped
public class MediaUrls {

    /** Where resumable (tus) uploads are created. */
    public static final String UPLOADS_PATH = "/api/uploads";
    /** Where renditions are served: {@code /media/{videoId}/{jobId}/{file}}. */
    public static final String MEDIA_PATH = "/media";

    private final String base;
    /** The public base URL followed by the bucket's prefix, when public renditions are fetched from it. */
    private final Optional<String> publicObjects;

    MediaUrls(MediaConfig config, StorageConfig storage) {
        this.base = config.publicBaseUrl().map(url -> url.replaceAll("/+$", "")).orElse("");
        this.publicObjects = storage.type() == StorageConfig.Type.S3
                && storage.delivery() == StorageConfig.Delivery.REDIRECT
                ? storage.s3().publicBaseUrl().map(url -> url.replaceAll("/+$", "") + "/"
                        + storage.s3().prefix().orElse(""))
                : Optional.empty();
    }

    /** Where a rendition stored at {@code path} (relative to the media root) of a video is served. */
    public String rendition(String path, boolean publicVideo) {
        if (!path.startsWith(MediaStorage.RENDITIONS + "/")) {
            throw new IllegalArgumentException("Not a rendition path: " + path);
        }
        if (publicVideo && publicObjects.isPresent()) {
            return publicObjects.get() + path;
        }
        return base + MEDIA_PATH + "/" + path.substring(MediaStorage.RENDITIONS.length() + 1);
    }

    /** Where players fetch a public video's rendition from without the catalog (a CDN), when configured. */
    public Optional<String> publicRendition(String path) {
        return publicObjects.map(objects -> objects + path);
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
