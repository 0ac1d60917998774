-- Migration 8: positions for Location `near` (search/special_params.h), one row per
-- Location.position. rowid = rid << 20 + n, as in the index tables of migration 4.
-- lat/lon in micro-degrees; x, y, z the point on the unit sphere times 10^8, so that a
-- distance test is integer arithmetic (the chord, docs/implementation/search.md).
CREATE TABLE idx_position (
  pid INTEGER NOT NULL,
  lat INTEGER NOT NULL,
  lon INTEGER NOT NULL,
  x   INTEGER NOT NULL,
  y   INTEGER NOT NULL,
  z   INTEGER NOT NULL
);
CREATE INDEX idx_position_lookup ON idx_position (pid, lat);

-- A third component of composite parameters (MolecularSequence coordinates: chromosome,
-- start, end), in the columns of its type as the second's (search/index_entries.h).
ALTER TABLE idx_composite ADD COLUMN s3    TEXT    NOT NULL DEFAULT '';
ALTER TABLE idx_composite ADD COLUMN c3    TEXT    NOT NULL DEFAULT '';
ALTER TABLE idx_composite ADD COLUMN key3  TEXT    NOT NULL DEFAULT '';
ALTER TABLE idx_composite ADD COLUMN low3  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE idx_composite ADD COLUMN high3 INTEGER NOT NULL DEFAULT 0;
