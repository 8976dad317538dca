-- What the media storage needs to resume an upload, besides its offset: nothing on the filesystem (the partial
-- file is the state); in a bucket, the multipart upload's id, its part size and the ETags of the parts uploaded so
-- far. Written with the offset, in the same statement, so the two never disagree.

ALTER TABLE resumable_upload ADD COLUMN storage_state text;
