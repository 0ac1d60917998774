-- Migration 8: facts about how this store's data was built, as key and value (see the
-- SQLite migration 11). Shared data: a reference table in a distributed deployment.
CREATE TABLE store_setting (
  key   text PRIMARY KEY,
  value text NOT NULL
);
