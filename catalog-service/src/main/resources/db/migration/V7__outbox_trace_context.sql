-- The W3C traceparent of the span that wrote the event (the upload's request, say), so that the relay's later send,
-- and the transcoder after it, continue that trace. NULL while tracing is off.
ALTER TABLE outbox_event ADD COLUMN traceparent varchar(55);
