-- Resumable (tus) uploads in progress. The bytes live in a hidden partial file beside the video's sources
-- (sources/{video_id}/.upload-{id}.part); this row says how many of them are durable and acknowledged.

CREATE TABLE resumable_upload (
    id             uuid PRIMARY KEY,
    video_id       uuid         NOT NULL REFERENCES video (id) ON DELETE CASCADE,
    -- the principal that created the upload; only it (or an admin) may continue or end it
    created_by     varchar(255) NOT NULL,
    length         bigint       NOT NULL CHECK (length > 0),
    -- bytes written, forced to disk and acknowledged; reaches length only once the source is accepted
    upload_offset  bigint       NOT NULL DEFAULT 0,
    created_at     timestamptz  NOT NULL,
    -- pushed back by every chunk; past it the upload is abandoned and removed
    expires_at     timestamptz  NOT NULL,
    CONSTRAINT resumable_upload_offset_range CHECK (upload_offset BETWEEN 0 AND length)
);

CREATE INDEX resumable_upload_expires_at_idx ON resumable_upload (expires_at);
