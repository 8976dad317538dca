-- What each uploader used of the daily quotas (catalog.quota.*): bytes of sources accepted and seconds of source the
-- transcoder measured, per UTC day. A ledger, not a sum over videos: deleting a video gives nothing back.

CREATE TABLE uploader_usage (
    owner_issuer    varchar(512)     NOT NULL,
    owner_subject   varchar(255)     NOT NULL,
    day             date             NOT NULL,
    source_bytes    bigint           NOT NULL DEFAULT 0 CHECK (source_bytes >= 0),
    source_seconds  double precision NOT NULL DEFAULT 0 CHECK (source_seconds >= 0),
    PRIMARY KEY (owner_subject, owner_issuer, day)
);
