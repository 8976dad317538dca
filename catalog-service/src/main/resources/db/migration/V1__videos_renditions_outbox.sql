-- Videos, their renditions, and the transactional outbox of events to Kafka.

CREATE TABLE video (
    id                          uuid PRIMARY KEY,
    title                       varchar(200)     NOT NULL,
    description                 text             NOT NULL DEFAULT '',
    category                    varchar(64)      NOT NULL,
    status                      varchar(32)      NOT NULL,
    -- the uploaded original, relative to the shared media root
    source_path                 varchar(512),
    source_size_bytes           bigint,
    source_sha256               char(64),
    -- what the transcoder found in the original
    source_container            varchar(128),
    source_video_codec          varchar(64),
    source_audio_codec          varchar(64),
    source_width                integer,
    source_height               integer,
    source_duration_seconds     double precision,
    source_frame_rate           double precision,
    -- the transcode job whose events are current; events of any other job are stale
    job_id                      uuid,
    progress_stage              varchar(32),
    progress_percent            double precision,
    progress_frames_per_second  double precision,
    progress_speed              double precision,
    progress_eta_seconds        double precision,
    progress_renditions_done    integer,
    progress_renditions_total   integer,
    progress_updated_at         timestamptz,
    failure_code                varchar(64),
    failure_message             text,
    created_at                  timestamptz      NOT NULL,
    updated_at                  timestamptz      NOT NULL,
    version                     bigint           NOT NULL DEFAULT 0,
    CONSTRAINT video_status_known CHECK (status IN
        ('AWAITING_UPLOAD', 'UPLOADED', 'QUEUED', 'PROCESSING', 'READY', 'FAILED')),
    CONSTRAINT video_progress_range CHECK (progress_percent IS NULL OR progress_percent BETWEEN 0 AND 100)
);

CREATE INDEX video_status_idx ON video (status);
CREATE INDEX video_created_at_idx ON video (created_at DESC, id);

CREATE TABLE rendition (
    id                 uuid PRIMARY KEY,
    video_id           uuid             NOT NULL REFERENCES video (id) ON DELETE CASCADE,
    job_id             uuid             NOT NULL,
    height             integer          NOT NULL CHECK (height > 0),
    width              integer          NOT NULL CHECK (width > 0),
    video_codec        varchar(64)      NOT NULL,
    audio_codec        varchar(64),
    -- measured from the written file, in bits per second
    bitrate            bigint           NOT NULL CHECK (bitrate > 0),
    -- relative to the shared media root
    path               varchar(512)     NOT NULL,
    mime_type          varchar(128)     NOT NULL,
    size_bytes         bigint           NOT NULL,
    duration_seconds   double precision NOT NULL,
    CONSTRAINT rendition_one_per_height UNIQUE (video_id, height)
);

CREATE TABLE outbox_event (
    -- the event id: consumers de-duplicate on it
    id             uuid PRIMARY KEY,
    topic          varchar(249) NOT NULL,
    message_key    varchar(255) NOT NULL,
    event_type     varchar(64)  NOT NULL,
    -- the JSON exactly as it goes on the wire
    payload        text         NOT NULL,
    created_at     timestamptz  NOT NULL,
    sent_at        timestamptz
);

CREATE INDEX outbox_event_unsent_idx ON outbox_event (created_at) WHERE sent_at IS NULL;
