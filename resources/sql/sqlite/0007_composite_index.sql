-- Migration 7: composite search parameters (two components, the first a token), one row per
-- pair of values found on the same element (search/index_entries.h, CompositeEntry).
-- rowid = rid << 20 + n, as in the other index tables of migration 4.
CREATE TABLE idx_composite (
  pid   INTEGER NOT NULL,
  s1    TEXT    NOT NULL,   -- first component: token system
  c1    TEXT    NOT NULL,   --                  and code
  s2    TEXT    NOT NULL,   -- second: token system, or quantity system
  c2    TEXT    NOT NULL,   --         token code, quantity code/unit, folded string, uri
  key2  TEXT    NOT NULL,   --         number or quantity DecimalKey
  low2  INTEGER NOT NULL,   --         date interval
  high2 INTEGER NOT NULL
);
CREATE INDEX idx_composite_lookup ON idx_composite (pid, c1, s1);
