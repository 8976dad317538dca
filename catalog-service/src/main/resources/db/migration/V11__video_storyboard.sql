-- The storyboard of the current job (scrubbing thumbnails), from TranscodeCompleted's optional storyboard: the
-- WebVTT track and its sprite sheets, relative to the shared media root. NULL when the job made none.
ALTER TABLE video
    ADD COLUMN storyboard_path               varchar(512),
    ADD COLUMN storyboard_interval_seconds   double precision,
    ADD COLUMN storyboard_tile_width         integer,
    ADD COLUMN storyboard_tile_height        integer,
    ADD COLUMN storyboard_columns            integer,
    ADD COLUMN storyboard_rows               integer,
    ADD COLUMN storyboard_thumbnails         integer,
    ADD COLUMN storyboard_sprite_paths       text[];
