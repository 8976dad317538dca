-- Stored files to remove, written in the transaction that stopped referencing them (a deleted video, a replaced
-- source, a superseded job's output, an ended upload): the sweeper removes each and then its row, so a removal
-- that fails is retried instead of forgotten.

CREATE TABLE file_deletion (
    id               uuid PRIMARY KEY,
    -- a file or directory (removed with everything under it), relative to the media root
    path             text        NOT NULL,
    requested_at     timestamptz NOT NULL,
    -- failed removals so far, the last time one was tried and why it failed
    attempts         integer     NOT NULL DEFAULT 0,
    last_attempt_at  timestamptz,
    last_error       text
);

CREATE INDEX file_deletion_requested_at_idx ON file_deletion (requested_at);
