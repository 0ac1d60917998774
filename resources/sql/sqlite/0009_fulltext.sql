-- Migration 9: the full-text index of _text and _content (search/fulltext.h), one row per
-- live resource with rowid = rid. The writer stores the words already folded and separated
-- by one space ("lo van a"), so FTS5's ascii tokenizer only splits on the spaces. `type`
-- (the resource type, one word) lets a query keep to one type inside the index. A resource
-- written before this migration has no row until `healthbook reindex`.
CREATE VIRTUAL TABLE idx_fulltext USING fts5(
  narrative,   -- the words of Resource.text.div
  content,     -- the words of every other string value of the resource
  type,        -- the resource type ("Patient": the word patient)
  tokenize = 'ascii',
  detail = column,   -- no positions: queries are words ANDed, never phrases
  columnsize = 0
);
