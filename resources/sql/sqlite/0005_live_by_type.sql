-- Migration 5: the live resources of a type in write order, from the index alone.
-- Entries of (type, deleted) are ordered by rowid (rid) within equal keys, so a search
-- without criteria walks a type's live resources in rid order without sorting them, and
-- counts them (_summary=count, totals) without reading the table rows.
CREATE INDEX resource_live_by_type ON resource (type, deleted);
