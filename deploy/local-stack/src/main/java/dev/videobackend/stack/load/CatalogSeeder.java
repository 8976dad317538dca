package dev.videobackend.stack.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fills the catalog's tables (the Flyway schema the catalog migrated) with a benchmark's videos in a few set-based
 * statements: uploading and transcoding a hundred thousand clips would take days and measure nothing of interest
 * here. Each seeded video looks like a transcoded one (source metadata, a three-rung HLS ladder, poster,
 * progressive MP4, shared audio); nine in ten are PUBLIC, the rest PRIVATE, so anonymous listings have filtering to
 * do. Titles (three words) and descriptions (eight) are drawn from {@link #WORDS}, so that a search for two of them
 * matches a few hundred videos out of a hundred thousand and has to use the full-text index; one video in fifty
 * belongs to the signed-in uploader of the benchmark, the others to a thousand other owners. Every run's slugs carry
 * a tag of their own, so seeding a stack twice adds videos instead of colliding.
 */
final class CatalogSeeder {

    /** The vocabulary of the seeded titles and descriptions, and of the benchmark's searches. */
    static final List<String> WORDS = List.of(
            "sunset", "harbour", "mountain", "river", "forest", "desert", "island", "glacier", "canyon", "valley",
            "meadow", "lagoon", "volcano", "waterfall", "coast", "cliff", "beach", "lake", "storm", "rain",
            "snow", "thunder", "breeze", "fog", "dawn", "dusk", "night", "morning", "summer", "winter",
            "autumn", "spring", "city", "village", "market", "street", "bridge", "tower", "castle", "temple",
            "garden", "museum", "station", "airport", "harvest", "festival", "parade", "concert", "guitar", "piano",
            "violin", "drums", "trumpet", "choir", "opera", "jazz", "blues", "techno", "folk", "ballet",
            "tango", "salsa", "cooking", "baking", "pasta", "curry", "noodles", "bread", "cheese", "coffee",
            "tea", "wine", "cocktail", "breakfast", "dinner", "picnic", "recipe", "kitchen", "football", "tennis",
            "cycling", "running", "surfing", "skiing", "climbing", "sailing", "rowing", "boxing", "chess", "yoga",
            "marathon", "stadium", "trophy", "training", "workout", "hiking", "camping", "fishing", "kayak", "canoe",
            "horse", "dog", "cat", "parrot", "dolphin", "whale", "eagle", "owl", "fox", "bear",
            "wolf", "tiger", "lion", "elephant", "giraffe", "penguin", "turtle", "butterfly", "bee", "spider",
            "robot", "rocket", "satellite", "planet", "galaxy", "telescope", "laboratory", "engine", "battery",
            "circuit", "drone", "laptop", "camera", "printer", "keyboard", "software", "puzzle", "algorithm",
            "database", "network", "history", "empire", "revolution", "treaty", "kingdom", "pharaoh", "viking",
            "samurai", "knight", "pirate", "lecture", "tutorial", "lesson", "workshop", "interview", "debate",
            "documentary", "review", "unboxing", "trailer", "painting", "sculpture", "pottery", "weaving",
            "knitting", "origami", "calligraphy", "photography", "cinema", "theatre", "poetry", "novel", "comic",
            "cartoon", "animation", "magic", "circus", "carnival", "wedding", "birthday", "holiday", "journey",
            "voyage", "adventure", "expedition", "road", "train", "tram", "ferry", "balloon", "glider",
            "motorbike", "tractor", "truck", "garage", "repair", "carpentry", "plumbing", "welding", "greenhouse",
            "orchard", "vineyard", "farm", "barn", "windmill", "lighthouse", "tunnel", "cave", "mine", "quarry",
            "crystal", "diamond", "gold", "silver", "copper", "marble", "granite", "sand", "clay", "ice",
            "fire", "smoke", "shadow", "light", "colour", "rainbow", "mirror", "window", "door", "stairs",
            "roof", "chimney", "lantern", "candle", "clock", "compass", "map", "anchor", "sail", "oar");

    /** Owners are users of the stack's identity provider: subject and principal name are the same there. */
    private static final String OWNER_ISSUER = dev.videobackend.stack.StackTokens.ISSUER;

    /** The rungs every seeded video has: height, width, peak and average bit rate. */
    private static final String LADDER = "(VALUES (720, 1280, 3200000, 2800000, 'avc1.64001f'),"
            + " (480, 854, 1400000, 1200000, 'avc1.64001e'), (360, 640, 900000, 750000, 'avc1.64001e'))"
            + " AS rung(height, width, bitrate, average_bitrate, codecs)";

    private static final String INSERT_VIDEOS = """
            INSERT INTO video (id, slug, title, description, category, tags, owner, owner_issuer, owner_subject,
                visibility, status,
                source_path, source_size_bytes, source_sha256, source_container, source_video_codec, source_audio_codec,
                source_width, source_height, source_duration_seconds, source_frame_rate,
                job_id, master_playlist_path, poster_path, poster_width, poster_height,
                progressive_path, progressive_width, progressive_height, progressive_video_codec,
                progressive_audio_codec, progressive_bitrate, progressive_size_bytes, progressive_duration_seconds,
                audio_path, audio_codec, audio_codecs, audio_channels, audio_sample_rate, audio_bitrate,
                audio_size_bytes, audio_duration_seconds, transcode_attempts, created_at, updated_at)
            SELECT v.id, ? || '-' || v.i, %s,
                %s,
                (ARRAY['travel', 'music', 'sports', 'news', 'education'])[1 + v.i %% 5],
                ARRAY['load', 'seed-' || (v.i %% 7)],
                v.owner, ?, v.owner,
                CASE WHEN v.i %% 10 = 0 THEN 'PRIVATE' ELSE 'PUBLIC' END,
                'READY', 'sources/' || v.id || '/source.mp4', 50000000, repeat('ab', 32), 'mov,mp4,m4a,3gp,3g2,mj2',
                'h264', 'aac', 1920, 1080, 120.0, 30.0,
                v.job, v.dir || 'master.m3u8', v.dir || 'poster.jpg', 1280, 720,
                v.dir || 'progressive.mp4', 640, 360, 'h264', 'aac', 900000, 13500000, 120.0,
                v.dir || 'audio/playlist.m3u8', 'aac', 'mp4a.40.2', 2, 48000, 128000, 1920000, 120.0, 1,
                now() - v.i * interval '1 second', now() - v.i * interval '1 second'
            FROM (SELECT i, id, job, 'renditions/' || id || '/' || job || '/' AS dir,
                         CASE WHEN i %% 50 = 0 THEN CAST(? AS text) ELSE 'load-' || (i %% 997) END AS owner
                  FROM (SELECT i, gen_random_uuid() AS id, gen_random_uuid() AS job
                        FROM generate_series(1, ?) AS i) ids) v
            CROSS JOIN (SELECT CAST(? AS text[]) AS list) words
            """.formatted(words("t", 3), "'A ' || " + words("d", 8));

    private static final String INSERT_RENDITIONS = "INSERT INTO rendition (id, video_id, job_id, height, width,"
            + " video_codec, codecs, frame_rate, bitrate, average_bitrate, path, mime_type, size_bytes,"
            + " duration_seconds)"
            + " SELECT gen_random_uuid(), v.id, v.job_id, rung.height, rung.width, 'h264', rung.codecs, 30.0,"
            + " rung.bitrate, rung.average_bitrate,"
            + " 'renditions/' || v.id || '/' || v.job_id || '/' || rung.height || 'p/playlist.m3u8',"
            + " 'application/vnd.apple.mpegurl', rung.average_bitrate / 8 * 120, 120.0"
            + " FROM video v CROSS JOIN " + LADDER + " WHERE v.slug LIKE ? || '-%'";

    private static final String INSERT_QUEUED = """
            INSERT INTO video (id, slug, title, category, owner, owner_issuer, owner_subject, visibility, status, job_id,
                transcode_attempts, source_path, source_size_bytes, source_sha256, created_at, updated_at)
            VALUES (?, ? || '-progress', 'Progress probe', 'load', 'load', ?, 'load', 'PRIVATE', 'QUEUED', ?, 1,
                'sources/' || ? || '/source.mp4', 50000000, repeat('ab', 32), now(), now())
            """;

    /** What was seeded: the listable videos' ids, and a QUEUED video whose job the progress probe reports on. */
    record Seeded(String tag, List<UUID> publicIds, UUID queuedVideo, UUID queuedJob) {
    }

    /** {@code count} words of {@link #WORDS} chosen by hashing the video's number with {@code salt}, space-separated. */
    private static String words(String salt, int count) {
        StringBuilder sql = new StringBuilder();
        for (int k = 1; k <= count; k++) {
            if (k > 1) {
                sql.append(" || ' ' || ");
            }
            sql.append("words.list[1 + (hashtext(v.i || '").append(salt).append(k)
                    .append("') & 2147483647) % cardinality(words.list)]");
        }
        return sql.toString();
    }

    private final String jdbcUrl;
    private final String user;
    private final String password;

    CatalogSeeder(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** Seeds {@code videos} videos, one in fifty owned by {@code uploader}. */
    Seeded seed(int videos, String uploader) {
        String tag = "load-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        UUID queuedVideo = UUID.randomUUID();
        UUID queuedJob = UUID.randomUUID();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT_VIDEOS)) {
                insert.setString(1, tag);
                insert.setString(2, OWNER_ISSUER);
                insert.setString(3, uploader);
                insert.setInt(4, videos);
                insert.setArray(5, connection.createArrayOf("text", WORDS.toArray()));
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT_RENDITIONS)) {
                insert.setString(1, tag);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT_QUEUED)) {
                insert.setObject(1, queuedVideo);
                insert.setString(2, tag);
                insert.setString(3, OWNER_ISSUER);
                insert.setObject(4, queuedJob);
                insert.setString(5, queuedVideo.toString());
                insert.executeUpdate();
            }
            connection.commit();
            settle(connection);
            return new Seeded(tag, publicIds(connection, tag), queuedVideo, queuedJob);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not seed " + videos + " videos into " + jdbcUrl, e);
        }
    }

    /**
     * Leaves the tables as a database in service has them rather than just bulk-loaded: vacuumed (hint bits and
     * visibility map set, so that neither the first reads nor autovacuum rewrite every page during a run), analysed,
     * and checkpointed (the load's dirty pages written now, not by a checkpoint in the middle of a measurement).
     */
    private static void settle(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM (ANALYZE) video, rendition");
            statement.execute("CHECKPOINT");
        }
    }

    private static List<UUID> publicIds(Connection connection, String tag) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM video WHERE slug LIKE ? || '-%' AND visibility = 'PUBLIC' AND status = 'READY'")) {
            select.setString(1, tag);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }
}
