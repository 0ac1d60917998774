-- Migration 3: the typed search index (docs/implementation/search.md), one table per
-- search parameter type, as in the SQLite store's migrations 4 and 7. Rows describe
-- current versions only; `rid` names the resource and `pkey` copies its patient key.

CREATE TABLE search_param (
  pid  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type text COLLATE "C" NOT NULL,
  code text COLLATE "C" NOT NULL,
  UNIQUE (type, code)
);

CREATE TABLE idx_token (
  rid    bigint  NOT NULL,
  pkey   text COLLATE "C"    NOT NULL,
  pid    integer NOT NULL,
  code   text COLLATE "C"    NOT NULL,
  system text COLLATE "C"    NOT NULL,
  text   text COLLATE "C"    NOT NULL DEFAULT ''        -- folded display / concept text for :text
);
CREATE INDEX idx_token_lookup ON idx_token (pid, code, system, text);
CREATE INDEX idx_token_rid ON idx_token (rid);

CREATE TABLE idx_string (
  rid   bigint  NOT NULL,
  pkey  text COLLATE "C"    NOT NULL,
  pid   integer NOT NULL,
  norm  text COLLATE "C"    NOT NULL,                    -- folded: lower case, accents removed
  exact text COLLATE "C"    NOT NULL
);
CREATE INDEX idx_string_lookup ON idx_string (pid, norm);
CREATE INDEX idx_string_rid ON idx_string (rid);

CREATE TABLE idx_identifier_type (
  rid         bigint  NOT NULL,
  pkey        text COLLATE "C"    NOT NULL,
  pid         integer NOT NULL,
  value       text COLLATE "C"    NOT NULL,
  type_system text COLLATE "C"    NOT NULL,
  type_code   text COLLATE "C"    NOT NULL
);
CREATE INDEX idx_identifier_type_lookup ON idx_identifier_type (pid, value);
CREATE INDEX idx_identifier_type_rid ON idx_identifier_type (rid);

CREATE TABLE idx_date (
  rid  bigint  NOT NULL,
  pkey text COLLATE "C"    NOT NULL,
  pid  integer NOT NULL,
  low  bigint  NOT NULL,                     -- microseconds UTC, both ends inclusive
  high bigint  NOT NULL
);
CREATE INDEX idx_date_lookup ON idx_date (pid, low, high);
CREATE INDEX idx_date_rid ON idx_date (rid);

CREATE TABLE idx_number (
  rid  bigint  NOT NULL,
  pkey text COLLATE "C"    NOT NULL,
  pid  integer NOT NULL,
  key  text COLLATE "C" NOT NULL          -- order-preserving decimal key
);
CREATE INDEX idx_number_lookup ON idx_number (pid, key);
CREATE INDEX idx_number_rid ON idx_number (rid);

CREATE TABLE idx_quantity (
  rid    bigint  NOT NULL,
  pkey   text COLLATE "C"    NOT NULL,
  pid    integer NOT NULL,
  key    text COLLATE "C" NOT NULL,
  system text COLLATE "C"    NOT NULL,
  code   text COLLATE "C"    NOT NULL,
  unit   text COLLATE "C"    NOT NULL
);
CREATE INDEX idx_quantity_lookup ON idx_quantity (pid, key);
CREATE INDEX idx_quantity_rid ON idx_quantity (rid);

-- The UCUM units each quantity parameter has held, with their dimension (shared data).
CREATE TABLE idx_quantity_unit (
  pid    integer NOT NULL,
  system text COLLATE "C"    NOT NULL,
  code   text COLLATE "C"    NOT NULL,
  cunit  text COLLATE "C"    NOT NULL,
  PRIMARY KEY (pid, system, code)
);

CREATE TABLE idx_reference (
  rid         bigint  NOT NULL,
  pkey        text COLLATE "C"    NOT NULL,
  pid         integer NOT NULL,
  target_id   text COLLATE "C"    NOT NULL,
  target_type text COLLATE "C"    NOT NULL,
  url         text COLLATE "C"    NOT NULL
);
CREATE INDEX idx_reference_target ON idx_reference (pid, target_id, target_type);
CREATE INDEX idx_reference_url ON idx_reference (pid, url) WHERE url <> '';
CREATE INDEX idx_reference_rid ON idx_reference (rid);

CREATE TABLE idx_uri (
  rid  bigint  NOT NULL,
  pkey text COLLATE "C"    NOT NULL,
  pid  integer NOT NULL,
  uri  text COLLATE "C"    NOT NULL
);
CREATE INDEX idx_uri_lookup ON idx_uri (pid, uri);
CREATE INDEX idx_uri_rid ON idx_uri (rid);

-- Composite search parameters (two components, the first a token).
CREATE TABLE idx_composite (
  rid   bigint  NOT NULL,
  pkey  text COLLATE "C"    NOT NULL,
  pid   integer NOT NULL,
  s1    text COLLATE "C"    NOT NULL,
  c1    text COLLATE "C"    NOT NULL,
  s2    text COLLATE "C"    NOT NULL,
  c2    text COLLATE "C"    NOT NULL,
  key2  text COLLATE "C" NOT NULL,
  low2  bigint  NOT NULL,
  high2 bigint  NOT NULL
);
CREATE INDEX idx_composite_lookup ON idx_composite (pid, c1, s1);
CREATE INDEX idx_composite_rid ON idx_composite (rid);
