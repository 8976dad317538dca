-- The relay publishes in insertion order. created_at cannot give it: the events of one transaction share their
-- timestamp (a deletion writes VideoDeleted, then VideoMediaRevoked), and rows with equal timestamps come back in
-- whatever order the table holds them.
ALTER TABLE outbox_event ADD COLUMN sequence_number bigint GENERATED ALWAYS AS IDENTITY;

DROP INDEX outbox_event_unsent_idx;
CREATE INDEX outbox_event_unsent_idx ON outbox_event (sequence_number) WHERE sent_at IS NULL;
