-- healthbook core schema, SQLite dialect. Migration 1.
-- Every version of every resource is kept in `version`; `resource` points at the
-- current one through (rid, version). Index tables hold rows for current versions only.

CREATE TABLE resource (
  rid          INTEGER PRIMARY KEY,
  type         TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  version      INTEGER NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0,
  last_updated INTEGER NOT NULL,           -- microseconds since epoch, UTC
  UNIQUE (type, id)
);

CREATE TABLE version (
  seq          INTEGER PRIMARY KEY,        -- global change sequence (history order)
  rid          INTEGER NOT NULL,
  type         TEXT    NOT NULL,
  version      INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  method       INTEGER NOT NULL,           -- 0 create, 1 update, 2 patch, 3 delete
  json         BLOB                        -- canonical JSON; NULL for a delete
);
CREATE UNIQUE INDEX version_by_rid ON version (rid, version);
CREATE INDEX version_by_type ON version (type, seq);
CREATE INDEX version_by_time ON version (last_updated);

-- Search parameters known to the index, interned to small integers.
CREATE TABLE search_param (
  pid  INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  code TEXT NOT NULL,
  UNIQUE (type, code)
);

-- Token index (identifier, and later every token search parameter).
CREATE TABLE idx_token (
  pid    INTEGER NOT NULL,
  code   TEXT    NOT NULL,
  system TEXT    NOT NULL,
  rid    INTEGER NOT NULL
);
CREATE INDEX idx_token_lookup ON idx_token (pid, code, system);
CREATE INDEX idx_token_by_rid ON idx_token (rid);

-- Patient compartment membership, recorded at write time.
CREATE TABLE compartment_patient (
  patient_id TEXT    NOT NULL,
  rid        INTEGER NOT NULL,
  PRIMARY KEY (patient_id, rid)
) WITHOUT ROWID;
CREATE INDEX compartment_patient_by_rid ON compartment_patient (rid);
