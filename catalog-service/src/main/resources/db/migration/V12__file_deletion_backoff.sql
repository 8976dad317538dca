-- Failed removals are retried with exponential back-off: the sweep skips a row until its next attempt is due, so
-- that a bucket that is down, or a file that cannot be removed, is not hammered once a minute forever.

ALTER TABLE file_deletion ADD COLUMN next_attempt_at timestamptz;
