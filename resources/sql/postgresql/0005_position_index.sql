-- Migration 5: positions for Location `near` (search/special_params.h), as the SQLite
-- store's migration 8: one row per Location.position; lat/lon in micro-degrees; x, y, z
-- the point on the unit sphere times 10^8 (integer distance tests on the chord).
CREATE TABLE idx_position (
  rid  bigint  NOT NULL,
  pkey text COLLATE "C" NOT NULL,
  pid  integer NOT NULL,
  lat  bigint  NOT NULL,
  lon  bigint  NOT NULL,
  x    bigint  NOT NULL,
  y    bigint  NOT NULL,
  z    bigint  NOT NULL
);
CREATE INDEX idx_position_lookup ON idx_position (pid, lat);
CREATE INDEX idx_position_rid ON idx_position (rid);

-- A third component of composite parameters (MolecularSequence coordinates: chromosome,
-- start, end), in the columns of its type as the second's (search/index_entries.h).
ALTER TABLE idx_composite
  ADD COLUMN s3    text COLLATE "C" NOT NULL DEFAULT '',
  ADD COLUMN c3    text COLLATE "C" NOT NULL DEFAULT '',
  ADD COLUMN key3  text COLLATE "C" NOT NULL DEFAULT '',
  ADD COLUMN low3  bigint NOT NULL DEFAULT 0,
  ADD COLUMN high3 bigint NOT NULL DEFAULT 0;
