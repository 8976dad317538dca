-- The complete catalog: owners and visibility, slugs, tags, the HLS output of the revised TranscodeCompleted,
-- richer source metadata, the transcoder's attempt counters, an inbox of applied events and full-text search.

ALTER TABLE video
    ADD COLUMN slug                          varchar(120),
    ADD COLUMN tags                          text[]       NOT NULL DEFAULT '{}',
    -- the JWT principal name of the uploader; rows from before access control belong to nobody known
    ADD COLUMN owner                         varchar(255) NOT NULL DEFAULT 'unknown',
    ADD COLUMN visibility                    varchar(16)  NOT NULL DEFAULT 'PUBLIC',
    ADD COLUMN source_rotation               integer,
    ADD COLUMN source_pixel_format           varchar(64),
    ADD COLUMN source_interlaced             boolean,
    ADD COLUMN source_variable_frame_rate    boolean,
    ADD COLUMN source_audio_channel_layout   varchar(64),
    -- the published outputs of the current job, relative to the shared media root
    ADD COLUMN master_playlist_path          varchar(512),
    ADD COLUMN poster_path                   varchar(512),
    ADD COLUMN poster_width                  integer,
    ADD COLUMN poster_height                 integer,
    ADD COLUMN progressive_path              varchar(512),
    ADD COLUMN progressive_width             integer,
    ADD COLUMN progressive_height            integer,
    ADD COLUMN progressive_video_codec       varchar(64),
    ADD COLUMN progressive_audio_codec       varchar(64),
    ADD COLUMN progressive_bitrate           bigint,
    ADD COLUMN progressive_size_bytes        bigint,
    ADD COLUMN progressive_duration_seconds  double precision,
    ADD COLUMN audio_path                    varchar(512),
    ADD COLUMN audio_codec                   varchar(64),
    ADD COLUMN audio_codecs                  varchar(64),
    ADD COLUMN audio_channels                integer,
    ADD COLUMN audio_sample_rate             integer,
    ADD COLUMN audio_bitrate                 bigint,
    ADD COLUMN audio_size_bytes              bigint,
    ADD COLUMN audio_duration_seconds        double precision,
    -- which attempt at the current job the transcoder last reported (counted across transcoder restarts)
    ADD COLUMN progress_attempt              integer,
    -- transcode jobs requested for this video so far: uploads and retranscodes
    ADD COLUMN transcode_attempts            integer      NOT NULL DEFAULT 0,
    ADD COLUMN search_vector                 tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED,
    ADD CONSTRAINT video_visibility_known CHECK (visibility IN ('PUBLIC', 'UNLISTED', 'PRIVATE'));

-- Existing rows: a slug from the title, made unique by the start of the id.
UPDATE video SET
    slug = coalesce(nullif(trim(BOTH '-' FROM left(regexp_replace(lower(title), '[^a-z0-9]+', '-', 'g'), 100)), ''),
                    'video') || '-' || left(id::text, 8),
    transcode_attempts = CASE WHEN job_id IS NULL THEN 0 ELSE 1 END;

ALTER TABLE video
    ALTER COLUMN slug SET NOT NULL,
    ALTER COLUMN owner DROP DEFAULT,
    ADD CONSTRAINT video_slug_unique UNIQUE (slug),
    ADD CONSTRAINT video_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$');

CREATE INDEX video_owner_idx ON video (owner, created_at DESC, id);
CREATE INDEX video_category_idx ON video (category);
CREATE INDEX video_search_idx ON video USING gin (search_vector);

-- Renditions are HLS media playlists now: path names the rung's playlist; audio is shared, not per rendition.
ALTER TABLE rendition
    ADD COLUMN codecs            varchar(64),
    ADD COLUMN frame_rate        double precision,
    ADD COLUMN average_bitrate   bigint;

-- Transcoder events applied, recorded in the transaction that applied them: a redelivery is ignored.
CREATE TABLE inbox_event (
    event_id     uuid PRIMARY KEY,
    video_id     uuid        NOT NULL,
    event_type   varchar(64) NOT NULL,
    applied_at   timestamptz NOT NULL
);

CREATE INDEX inbox_event_video_idx ON inbox_event (video_id);
