-- Migration 4: the typed search index (docs/implementation/search.md).
-- One table per search parameter type. Every row carries the search parameter (pid, from
-- search_param) and the resource (rid); rows describe current versions only: a new
-- version replaces its resource's rows, a delete removes them. Rows are computed at
-- write time from the R4 SearchParameter FHIRPath expressions (src/search/indexer.h).
-- Tables are WITHOUT ROWID, keyed for lookup by (pid, value..., rid), with one index by
-- (rid, pid) to replace and sort a resource's rows: two B-tree inserts per row.

-- token: system (may be empty) and code. Rebuilt from migration 1's idx_token (which
-- held `identifier` rows) into the keyed form.
CREATE TABLE idx_token_new (
  pid    INTEGER NOT NULL,
  code   TEXT    NOT NULL,
  system TEXT    NOT NULL,
  rid    INTEGER NOT NULL,
  PRIMARY KEY (pid, code, system, rid)
) WITHOUT ROWID;
INSERT OR IGNORE INTO idx_token_new (pid, code, system, rid)
  SELECT pid, code, system, rid FROM idx_token;
DROP TABLE idx_token;
ALTER TABLE idx_token_new RENAME TO idx_token;
CREATE INDEX idx_token_by_rid ON idx_token (rid, pid);

-- string: `norm` folded (lower case, accents removed: "lo van a"), `exact` as written.
CREATE TABLE idx_string (
  pid   INTEGER NOT NULL,
  norm  TEXT    NOT NULL,
  exact TEXT    NOT NULL,
  rid   INTEGER NOT NULL,
  PRIMARY KEY (pid, norm, exact, rid)
) WITHOUT ROWID;
CREATE INDEX idx_string_by_rid ON idx_string (rid, pid);

-- token :text: folded CodeableConcept.text, Coding.display, Identifier.type.text.
CREATE TABLE idx_token_text (
  pid  INTEGER NOT NULL,
  norm TEXT    NOT NULL,
  rid  INTEGER NOT NULL,
  PRIMARY KEY (pid, norm, rid)
) WITHOUT ROWID;
CREATE INDEX idx_token_text_by_rid ON idx_token_text (rid, pid);

-- token :of-type: an Identifier's type coding and its value.
CREATE TABLE idx_identifier_type (
  pid         INTEGER NOT NULL,
  value       TEXT    NOT NULL,
  type_system TEXT    NOT NULL,
  type_code   TEXT    NOT NULL,
  rid         INTEGER NOT NULL,
  PRIMARY KEY (pid, value, type_system, type_code, rid)
) WITHOUT ROWID;
CREATE INDEX idx_identifier_type_by_rid ON idx_identifier_type (rid, pid);

-- date: the interval the value stands for, microseconds UTC, both ends inclusive
-- (open ends are the smallest / largest 64-bit integers).
CREATE TABLE idx_date (
  pid  INTEGER NOT NULL,
  low  INTEGER NOT NULL,
  high INTEGER NOT NULL,
  rid  INTEGER NOT NULL,
  PRIMARY KEY (pid, low, high, rid)
) WITHOUT ROWID;
CREATE INDEX idx_date_by_rid ON idx_date (rid, pid);

-- number: an order-preserving decimal key (src/search/decimal_key.h).
CREATE TABLE idx_number (
  pid INTEGER NOT NULL,
  key TEXT    NOT NULL,
  rid INTEGER NOT NULL,
  PRIMARY KEY (pid, key, rid)
) WITHOUT ROWID;
CREATE INDEX idx_number_by_rid ON idx_number (rid, pid);

-- quantity: the value's key with system, code and unit as written.
CREATE TABLE idx_quantity (
  pid    INTEGER NOT NULL,
  key    TEXT    NOT NULL,
  system TEXT    NOT NULL,
  code   TEXT    NOT NULL,
  unit   TEXT    NOT NULL,
  rid    INTEGER NOT NULL,
  PRIMARY KEY (pid, key, system, code, unit, rid)
) WITHOUT ROWID;
CREATE INDEX idx_quantity_by_rid ON idx_quantity (rid, pid);

-- The UCUM units each quantity parameter has held, with their dimension (cunit): a search
-- in one UCUM unit looks, converted, in every stored unit of the same dimension
-- (src/search/quantity_units.h). Never shrinks; a unit no longer used costs one empty
-- range lookup.
CREATE TABLE idx_quantity_unit (
  pid    INTEGER NOT NULL,
  system TEXT    NOT NULL,
  code   TEXT    NOT NULL,
  cunit  TEXT    NOT NULL,
  PRIMARY KEY (pid, system, code)
) WITHOUT ROWID;

-- reference: target type and id ('' when the reference names none), and the reference
-- as written when it is absolute or names no Type/id (canonical references without their
-- |version; '' for relative references).
CREATE TABLE idx_reference (
  pid         INTEGER NOT NULL,
  target_id   TEXT    NOT NULL,
  target_type TEXT    NOT NULL,
  url         TEXT    NOT NULL,
  rid         INTEGER NOT NULL,
  PRIMARY KEY (pid, target_id, target_type, url, rid)
) WITHOUT ROWID;
CREATE INDEX idx_reference_url ON idx_reference (pid, url) WHERE url <> '';
CREATE INDEX idx_reference_by_rid ON idx_reference (rid, pid);

-- uri
CREATE TABLE idx_uri (
  pid INTEGER NOT NULL,
  uri TEXT    NOT NULL,
  rid INTEGER NOT NULL,
  PRIMARY KEY (pid, uri, rid)
) WITHOUT ROWID;
CREATE INDEX idx_uri_by_rid ON idx_uri (rid, pid);

-- Sorting and filtering by _lastUpdated within a type.
CREATE INDEX resource_by_updated ON resource (type, last_updated);
