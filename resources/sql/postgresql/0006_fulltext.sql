-- Migration 6: the full-text index of _text and _content (search/fulltext.h), as the SQLite
-- store's migration 9. The writer stores the words already folded ("lo van a"); the
-- 'simple' configuration only splits them (no stemming, no stop words). `content` holds
-- the narrative's words too, so that _content reads one column. No key on rid: a new
-- version's row is inserted in the statement that deletes the old one (pg_writes.cpp).
CREATE TABLE idx_fulltext (
  rid       bigint NOT NULL,
  pkey      text COLLATE "C" NOT NULL,
  narrative tsvector NOT NULL,
  content   tsvector NOT NULL
);
CREATE INDEX idx_fulltext_rid ON idx_fulltext (rid);
CREATE INDEX idx_fulltext_narrative ON idx_fulltext USING gin (narrative);
CREATE INDEX idx_fulltext_content ON idx_fulltext USING gin (content);
