-- Migration 7: the zstd dictionaries this store's resource JSON is compressed with
-- (storage/json_codec.h; see the SQLite migration 10). Shared data: a reference table in a
-- distributed deployment (docs/implementation/storage.md).
CREATE TABLE json_dictionary (
  id    bigint PRIMARY KEY,    -- the zstd dictionary id, also written in each frame header
  bytes bytea  NOT NULL
);
