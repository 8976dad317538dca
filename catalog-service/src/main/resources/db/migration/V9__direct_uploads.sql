-- Direct-to-bucket uploads in progress (S3 only): the client sends the parts of a multipart upload straight to the
-- bucket with presigned URLs; this row binds that multipart upload to the video and the caller who started it, and
-- says when its URLs stop working. A row past expires_at is abandoned: the catalog aborts its multipart upload.

CREATE TABLE direct_upload (
    id                  uuid PRIMARY KEY,
    video_id            uuid          NOT NULL REFERENCES video (id) ON DELETE CASCADE,
    created_by          varchar(255)  NOT NULL,
    created_by_issuer   varchar(512)  NOT NULL,
    created_by_subject  varchar(255)  NOT NULL,
    -- the object's path relative to the bucket's prefix (sources/{video_id}/{name}), its multipart upload's id
    path                varchar(1024) NOT NULL,
    multipart_upload_id varchar(1024) NOT NULL,
    size_bytes          bigint        NOT NULL CHECK (size_bytes > 0),
    part_size_bytes     bigint        NOT NULL CHECK (part_size_bytes > 0),
    created_at          timestamptz   NOT NULL,
    expires_at          timestamptz   NOT NULL,
    -- set while a completion runs, so that two completions sent at once do not both accept (and one remove) it
    completing_since    timestamptz
);

CREATE INDEX direct_upload_expires_at_idx ON direct_upload (expires_at);
