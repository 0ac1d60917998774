-- Migration 3: tokens revoked before their expiry (sessions ended by logout).
-- Rows can be dropped once `exp` has passed.
CREATE TABLE revoked_token (
  jti TEXT PRIMARY KEY,
  exp INTEGER NOT NULL          -- Unix seconds
) WITHOUT ROWID;
