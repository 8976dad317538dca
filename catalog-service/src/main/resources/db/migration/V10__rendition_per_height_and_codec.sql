-- A rung may come in two codecs (H.264 and its optional AV1 variant): one rendition per height and video codec.
ALTER TABLE rendition
    DROP CONSTRAINT rendition_one_per_height,
    ADD CONSTRAINT rendition_one_per_height_and_codec UNIQUE (video_id, height, video_codec);
