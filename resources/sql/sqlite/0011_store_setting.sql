-- Migration 11: facts about how this store's data was built, as key and value (see
-- storage/resource_store.h ReadTxn::Setting). `search.zoneless_offset_minutes`: the UTC
-- offset at which the search index read dates without a zone (search/date_range.h).
CREATE TABLE store_setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
