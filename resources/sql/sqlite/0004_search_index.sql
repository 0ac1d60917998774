-- Migration 4: the typed search index (docs/implementation/search.md).
-- One table per search parameter type. Every row carries the search parameter (pid, from
-- search_param); rows describe current versions only: a new version replaces its
-- resource's rows, a delete removes them. Rows are computed at write time from the R4
-- SearchParameter FHIRPath expressions (src/search/indexer.h).
--
-- A row's rowid is (rid << 20) + n, n = 0, 1, ... within the resource: the rows of one
-- resource are one rowid range (replaced and sorted without an index on rid), inserts
-- append to the table, and each row costs one insert into its lookup index, whose entries
-- carry the rowid (rid = rowid >> 20). At most 2^20 rows per resource and table.

-- token: system (may be empty) and code; `text` the folded display / concept text for
-- :text (found by scanning the parameter's entries of the covering index). Rebuilt from
-- migration 1's idx_token (which held `identifier` rows).
CREATE TABLE idx_token_new (
  pid    INTEGER NOT NULL,
  code   TEXT    NOT NULL,
  system TEXT    NOT NULL,
  text   TEXT    NOT NULL DEFAULT ''
);
INSERT INTO idx_token_new (rowid, pid, code, system)
  SELECT (rid << 20) + ROW_NUMBER() OVER (PARTITION BY rid ORDER BY pid, code, system) - 1,
         pid, code, system
  FROM (SELECT DISTINCT pid, code, system, rid FROM idx_token);
DROP TABLE idx_token;
ALTER TABLE idx_token_new RENAME TO idx_token;
CREATE INDEX idx_token_lookup ON idx_token (pid, code, system, text);

-- string: `norm` folded (lower case, accents removed: "lo van a"), `exact` as written.
CREATE TABLE idx_string (
  pid   INTEGER NOT NULL,
  norm  TEXT    NOT NULL,
  exact TEXT    NOT NULL
);
CREATE INDEX idx_string_lookup ON idx_string (pid, norm);

-- token :of-type: an Identifier's type coding and its value.
CREATE TABLE idx_identifier_type (
  pid         INTEGER NOT NULL,
  value       TEXT    NOT NULL,
  type_system TEXT    NOT NULL,
  type_code   TEXT    NOT NULL
);
CREATE INDEX idx_identifier_type_lookup ON idx_identifier_type (pid, value);

-- date: the interval the value stands for, microseconds UTC, both ends inclusive
-- (open ends are the smallest / largest 64-bit integers).
CREATE TABLE idx_date (
  pid  INTEGER NOT NULL,
  low  INTEGER NOT NULL,
  high INTEGER NOT NULL
);
CREATE INDEX idx_date_lookup ON idx_date (pid, low, high);

-- number: an order-preserving decimal key (src/search/decimal_key.h).
CREATE TABLE idx_number (
  pid INTEGER NOT NULL,
  key TEXT    NOT NULL
);
CREATE INDEX idx_number_lookup ON idx_number (pid, key);

-- quantity: the value's key with system, code and unit as written.
CREATE TABLE idx_quantity (
  pid    INTEGER NOT NULL,
  key    TEXT    NOT NULL,
  system TEXT    NOT NULL,
  code   TEXT    NOT NULL,
  unit   TEXT    NOT NULL
);
CREATE INDEX idx_quantity_lookup ON idx_quantity (pid, key);

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
  url         TEXT    NOT NULL
);
CREATE INDEX idx_reference_target ON idx_reference (pid, target_id, target_type);
CREATE INDEX idx_reference_url ON idx_reference (pid, url) WHERE url <> '';

-- uri
CREATE TABLE idx_uri (
  pid INTEGER NOT NULL,
  uri TEXT    NOT NULL
);
CREATE INDEX idx_uri_lookup ON idx_uri (pid, uri);

