-- Migration 4: the typed search index (docs/implementation/search.md).
-- One table per search parameter type, beside idx_token (migration 1). Every row
-- carries the search parameter (pid, from search_param) and the resource (rid); rows
-- describe current versions only: a new version replaces its resource's rows, a
-- delete removes them. Rows are computed at write time from the R4 SearchParameter
-- FHIRPath expressions (src/search/indexer.h).

-- string: `norm` folded (lower case, accents removed: "lo van a"), `exact` as written.
CREATE TABLE idx_string (
  pid   INTEGER NOT NULL,
  norm  TEXT    NOT NULL,
  exact TEXT    NOT NULL,
  rid   INTEGER NOT NULL
);
CREATE INDEX idx_string_lookup ON idx_string (pid, norm);
CREATE INDEX idx_string_by_rid ON idx_string (rid, pid);

-- token :text: folded CodeableConcept.text, Coding.display, Identifier.type.text.
CREATE TABLE idx_token_text (
  pid  INTEGER NOT NULL,
  norm TEXT    NOT NULL,
  rid  INTEGER NOT NULL
);
CREATE INDEX idx_token_text_lookup ON idx_token_text (pid, norm);
CREATE INDEX idx_token_text_by_rid ON idx_token_text (rid);

-- token :of-type: an Identifier's type coding and its value.
CREATE TABLE idx_identifier_type (
  pid         INTEGER NOT NULL,
  type_system TEXT    NOT NULL,
  type_code   TEXT    NOT NULL,
  value       TEXT    NOT NULL,
  rid         INTEGER NOT NULL
);
CREATE INDEX idx_identifier_type_lookup ON idx_identifier_type (pid, value);
CREATE INDEX idx_identifier_type_by_rid ON idx_identifier_type (rid);

-- date: the interval the value stands for, microseconds UTC, both ends inclusive
-- (open ends are the smallest / largest 64-bit integers).
CREATE TABLE idx_date (
  pid  INTEGER NOT NULL,
  low  INTEGER NOT NULL,
  high INTEGER NOT NULL,
  rid  INTEGER NOT NULL
);
CREATE INDEX idx_date_low ON idx_date (pid, low);
CREATE INDEX idx_date_high ON idx_date (pid, high);
CREATE INDEX idx_date_by_rid ON idx_date (rid, pid);

-- number: an order-preserving decimal key (src/search/decimal_key.h).
CREATE TABLE idx_number (
  pid INTEGER NOT NULL,
  key TEXT    NOT NULL,
  rid INTEGER NOT NULL
);
CREATE INDEX idx_number_lookup ON idx_number (pid, key);
CREATE INDEX idx_number_by_rid ON idx_number (rid, pid);

-- quantity: the value's key with system, code and unit as written; for UCUM units the
-- engine reads, the value in base units (ckey) and the unit's dimension (cunit).
CREATE TABLE idx_quantity (
  pid    INTEGER NOT NULL,
  key    TEXT    NOT NULL,
  system TEXT    NOT NULL,
  code   TEXT    NOT NULL,
  unit   TEXT    NOT NULL,
  ckey   TEXT    NOT NULL,
  cunit  TEXT    NOT NULL,
  rid    INTEGER NOT NULL
);
CREATE INDEX idx_quantity_lookup ON idx_quantity (pid, key);
CREATE INDEX idx_quantity_canonical ON idx_quantity (pid, cunit, ckey);
CREATE INDEX idx_quantity_by_rid ON idx_quantity (rid, pid);

-- reference: target type and id ('' when the reference names none), and the reference
-- as written (canonical references without their |version).
CREATE TABLE idx_reference (
  pid         INTEGER NOT NULL,
  target_type TEXT    NOT NULL,
  target_id   TEXT    NOT NULL,
  url         TEXT    NOT NULL,
  rid         INTEGER NOT NULL
);
CREATE INDEX idx_reference_target ON idx_reference (pid, target_id, target_type);
CREATE INDEX idx_reference_url ON idx_reference (pid, url);
CREATE INDEX idx_reference_by_rid ON idx_reference (rid, pid);

-- uri
CREATE TABLE idx_uri (
  pid INTEGER NOT NULL,
  uri TEXT    NOT NULL,
  rid INTEGER NOT NULL
);
CREATE INDEX idx_uri_lookup ON idx_uri (pid, uri);
CREATE INDEX idx_uri_by_rid ON idx_uri (rid, pid);

-- Sorting and paging by _lastUpdated within a type.
CREATE INDEX resource_by_updated ON resource (type, last_updated);
