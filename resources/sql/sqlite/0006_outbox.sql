-- Migration 6: the outbox. Messages to other systems (insurance portals, the LIS, the
-- national health book, e-prescriptions) are queued in the same transaction as the change
-- that causes them, then delivered by jobs::OutboxWorker with retries: nothing is lost when
-- a receiver is down, and (topic, key) makes a message unique, so nothing is queued twice.
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY,
  topic      TEXT    NOT NULL,            -- which receiver: "claims.national", "lis.orders"
  key        TEXT    NOT NULL,            -- idempotency key within the topic (MA_LK, order id)
  payload    BLOB    NOT NULL,
  state      INTEGER NOT NULL DEFAULT 0,  -- 0 pending, 1 delivered, 2 failed (work list)
  attempts   INTEGER NOT NULL DEFAULT 0,
  next_at    INTEGER NOT NULL,            -- microseconds: not before
  created    INTEGER NOT NULL,
  updated    INTEGER NOT NULL,
  last_error TEXT    NOT NULL DEFAULT '',
  result     TEXT    NOT NULL DEFAULT '', -- the receiver's answer (transaction id, ACK)
  UNIQUE (topic, key)
);
CREATE INDEX outbox_due ON outbox (topic, state, next_at);
