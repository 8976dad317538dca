package dev.videobackend.catalog.video.query;

import dev.videobackend.catalog.media.MediaUrls;
import dev.videobackend.catalog.security.AccessFacts;
import dev.videobackend.catalog.security.UserId;
import dev.videobackend.catalog.security.Visibility;
import dev.videobackend.catalog.video.VideoStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The columns a {@link VideoView} is made of, and the view made from a row that selected them: one statement reads
 * a video with its renditions (aggregated as JSON, highest first), without an entity or a persistence context.
 * Columns are read by position, in the order of {@link #COLUMNS}, which is the only place that order is written.
 * The row also gives what the access rules judge the video by ({@link AccessFacts}: its owner's issuer and subject,
 * which the view does not show).
 */
@ApplicationScoped
public class VideoProjection {

    /** The columns of the view from the video row {@code v} itself. */
    private static final String SCALARS = """
            v.id, v.slug, v.title, v.description, v.category, v.tags, v.owner, v.owner_issuer, v.owner_subject,
            v.visibility, v.status,
            v.source_path, v.source_size_bytes, v.source_sha256, v.source_container, v.source_video_codec,
            v.source_audio_codec, v.source_width, v.source_height, v.source_duration_seconds, v.source_frame_rate,
            v.source_rotation, v.source_pixel_format, v.source_interlaced, v.source_variable_frame_rate,
            v.source_audio_channel_layout,
            v.master_playlist_path, v.poster_path, v.poster_width, v.poster_height,
            v.progressive_path, v.progressive_width, v.progressive_height, v.progressive_video_codec,
            v.progressive_audio_codec, v.progressive_bitrate, v.progressive_size_bytes, v.progressive_duration_seconds,
            v.audio_path, v.audio_codec, v.audio_codecs, v.audio_channels, v.audio_sample_rate, v.audio_bitrate,
            v.audio_size_bytes, v.audio_duration_seconds,
            v.storyboard_path, v.storyboard_interval_seconds, v.storyboard_tile_width, v.storyboard_tile_height,
            v.storyboard_columns, v.storyboard_rows, v.storyboard_thumbnails, v.storyboard_sprite_paths,
            v.progress_stage, v.progress_percent, v.progress_frames_per_second, v.progress_speed,
            v.progress_eta_seconds, v.progress_renditions_done, v.progress_renditions_total, v.progress_attempt,
            v.progress_updated_at,
            v.failure_code, v.failure_message, v.transcode_attempts, v.created_at, v.updated_at, v.version,
            """;

    /** Every column of the view: the video row's, then its renditions as a JSON array of arrays. */
    static final String COLUMNS = SCALARS + """
            (SELECT json_agg(json_build_array(r.height, r.width, r.video_codec, r.codecs, r.frame_rate, r.bitrate,
                                              r.average_bitrate, r.mime_type, r.size_bytes, r.duration_seconds, r.path)
                             ORDER BY r.height DESC, r.video_codec = 'h264' DESC, r.video_codec)
             FROM rendition r WHERE r.video_id = v.id) AS renditions""";

    /** {@link #COLUMNS} with the renditions left out (a null in their place): for answers that show none. */
    static final String COLUMNS_WITHOUT_RENDITIONS = SCALARS + "CAST(NULL AS json) AS renditions";

    /** How many columns {@link #COLUMNS} selects: a statement may select more after them. */
    static final int WIDTH = 70;

    private final MediaUrls urls;

    VideoProjection(MediaUrls urls) {
        this.urls = urls;
    }

    /** A row's video as the API shows it, and what the access rules judge it by. */
    record Projected(VideoView view, AccessFacts access) {
    }

    /** The row's video; the row starts with {@link #COLUMNS}. */
    Projected read(Row row) {
        Columns c = new Columns(row);
        UUID id = c.uuid();
        String slug = c.string();
        String title = c.string();
        String description = c.string();
        String category = c.string();
        List<String> tags = List.of(row.getArrayOfStrings(c.next()));
        String owner = c.string();
        UserId ownerId = new UserId(c.string(), c.string());
        Visibility visibility = Visibility.valueOf(c.string());
        VideoStatus status = VideoStatus.valueOf(c.string());
        VideoView.Source source = source(c);
        // Public videos' media may be named by CDN URLs (MediaUrls): a cached anonymous answer holds no expiring URL.
        boolean publicVideo = visibility == Visibility.PUBLIC;
        VideoView.MediaLinks media = media(c, publicVideo);
        VideoView.Progress progress = progress(c);
        String failureCode = c.string();
        String failureMessage = c.string();
        int transcodeAttempts = c.integer();
        Instant createdAt = c.instant();
        Instant updatedAt = c.instant();
        int version = Math.toIntExact(c.longValue());
        List<VideoView.RenditionView> renditions = renditions(row.getJsonArray(c.next()), publicVideo);
        VideoView view = new VideoView(id.toString(), slug, title, description, category, tags, owner, visibility,
                status, source, media, renditions, progress,
                failureCode == null ? null : new VideoView.Failure(failureCode, failureMessage),
                transcodeAttempts, urls.upload(id), createdAt, updatedAt, version);
        return new Projected(view, new AccessFacts(ownerId, visibility, status == VideoStatus.READY));
    }

    private static VideoView.Source source(Columns c) {
        String path = c.string();
        VideoView.Source source = new VideoView.Source(nullToZero(c.longObject()), c.string(), c.string(), c.string(),
                c.string(), c.integer(), c.integer(), c.decimal(), c.decimal(), c.integer(), c.string(), c.bool(),
                c.bool(), c.string());
        return path == null ? null : source;
    }

    private VideoView.MediaLinks media(Columns c, boolean publicVideo) {
        String master = c.string();
        String posterPath = c.string();
        VideoView.Image poster = image(posterPath, c.integer(), c.integer(), publicVideo);
        String progressivePath = c.string();
        VideoView.Progressive progressive = new VideoView.Progressive(url(progressivePath, publicVideo), c.integer(),
                c.integer(), c.string(), c.string(), bitsPerSecond(c.longObject()), c.longObject(), c.decimal());
        String audioPath = c.string();
        VideoView.Audio audio = new VideoView.Audio(url(audioPath, publicVideo), c.string(), c.string(), c.integer(),
                c.integer(), bitsPerSecond(c.longObject()), c.longObject(), c.decimal());
        VideoView.Storyboard storyboard = storyboard(c, publicVideo);
        if (master == null) {
            return null;
        }
        return new VideoView.MediaLinks(urls.rendition(master, publicVideo), poster,
                progressivePath == null ? null : progressive, audioPath == null ? null : audio, storyboard);
    }

    private VideoView.Storyboard storyboard(Columns c, boolean publicVideo) {
        String path = c.string();
        Double interval = c.decimal();
        Integer tileWidth = c.integer();
        Integer tileHeight = c.integer();
        Integer columns = c.integer();
        Integer rows = c.integer();
        Integer thumbnails = c.integer();
        String[] sprites = c.strings();
        if (path == null) {
            return null;
        }
        List<VideoView.Image> sheets = new ArrayList<>(sprites.length);
        for (String sprite : sprites) {
            sheets.add(new VideoView.Image(urls.rendition(sprite, publicVideo), columns * tileWidth, rows * tileHeight));
        }
        return new VideoView.Storyboard(urls.rendition(path, publicVideo), interval, tileWidth, tileHeight, columns, rows,
                thumbnails, sheets);
    }

    private VideoView.Image image(String path, Integer width, Integer height, boolean publicVideo) {
        return path == null ? null : new VideoView.Image(urls.rendition(path, publicVideo), width, height);
    }

    private static VideoView.Progress progress(Columns c) {
        String stage = c.string();
        VideoView.Progress progress = new VideoView.Progress(stage, nullToZero(c.decimal()), c.decimal(), c.decimal(),
                c.decimal(), c.integer(), c.integer(), c.integer(), c.instant());
        return stage == null ? null : progress;
    }

    private List<VideoView.RenditionView> renditions(JsonArray rows, boolean publicVideo) {
        if (rows == null) {
            return List.of();
        }
        List<VideoView.RenditionView> renditions = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonArray r = rows.getJsonArray(i);
            renditions.add(new VideoView.RenditionView(r.getInteger(0), r.getInteger(1), r.getString(2),
                    r.getString(3), r.getDouble(4), Math.toIntExact(r.getLong(5)), bitsPerSecond(r.getLong(6)),
                    r.getString(7), r.getLong(8),
                    r.getDouble(9), urls.rendition(r.getString(10), publicVideo)));
        }
        return renditions;
    }

    private String url(String path, boolean publicVideo) {
        return path == null ? null : urls.rendition(path, publicVideo);
    }

    /** Bit rates are stored as bigint but shown as Int: no rendition comes near 2^31 bits per second. */
    private static Integer bitsPerSecond(Long bitrate) {
        return bitrate == null ? null : Math.toIntExact(bitrate);
    }

    private static long nullToZero(Long value) {
        return value == null ? 0 : value;
    }

    private static double nullToZero(Double value) {
        return value == null ? 0 : value;
    }

    /** Reads a row's columns one after the other. */
    private static final class Columns {
        private final Row row;
        private int next;

        Columns(Row row) {
            this.row = row;
        }

        int next() {
            return next++;
        }

        String string() {
            return row.getString(next++);
        }

        UUID uuid() {
            return row.getUUID(next++);
        }

        Integer integer() {
            return row.getInteger(next++);
        }

        Long longObject() {
            return row.getLong(next++);
        }

        long longValue() {
            return row.getLong(next++);
        }

        Double decimal() {
            return row.getDouble(next++);
        }

        String[] strings() {
            return row.getArrayOfStrings(next++);
        }

        Boolean bool() {
            return row.getBoolean(next++);
        }

        Instant instant() {
            OffsetDateTime value = row.getOffsetDateTime(next++);
            return value == null ? null : value.toInstant();
        }
    }
}
