-- Migration 4: the outbox (see the SQLite store's migration 6): messages to other systems,
-- queued in the same transaction as the change that causes them; (topic, key) is unique.
CREATE TABLE outbox (
  seq        bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic      text     NOT NULL,
  key        text     NOT NULL,
  payload    bytea    NOT NULL,
  state      smallint NOT NULL DEFAULT 0,   -- 0 pending, 1 delivered, 2 failed
  attempts   integer  NOT NULL DEFAULT 0,
  next_at    bigint   NOT NULL,
  created    bigint   NOT NULL,
  updated    bigint   NOT NULL,
  last_error text     NOT NULL DEFAULT '',
  result     text     NOT NULL DEFAULT '',
  UNIQUE (topic, key)
);
CREATE INDEX outbox_due ON outbox (topic, state, next_at);
