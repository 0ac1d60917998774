-- Migration 10: the zstd dictionaries this store's resource JSON is compressed with
-- (storage/json_codec.h). `version.json` holds either plain JSON (rows written before this
-- migration, or too short to gain) or a zstd frame that names its dictionary's id; the store
-- adds the dictionary of the build that writes to it when it opens, and registers every row
-- here for reading, so a later build with another dictionary still reads older rows.
CREATE TABLE json_dictionary (
  id    INTEGER PRIMARY KEY,   -- the zstd dictionary id, also written in each frame header
  bytes BLOB    NOT NULL
);
