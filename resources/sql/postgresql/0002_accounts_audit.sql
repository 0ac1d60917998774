-- Migration 2: accounts (users and integration clients), revoked tokens and the
-- hash-chained audit trail (storage/audit_record.h). Shared data: no patient key, except
-- the audit record's `patient` column, which names whom it concerns.

CREATE TABLE account (
  name          text PRIMARY KEY,
  kind          text     NOT NULL,             -- 'user' or 'client'
  role          text     NOT NULL,             -- see access/roles.h
  facility      text     NOT NULL DEFAULT '',  -- MA_CSKCB code ('' for province-wide roles)
  display       text     NOT NULL DEFAULT '',
  practitioner  text     NOT NULL DEFAULT '',
  patient       text     NOT NULL DEFAULT '',
  password_hash text     NOT NULL DEFAULT '',  -- Argon2id PHC string (users)
  jwks          text     NOT NULL DEFAULT '',  -- registered public keys (clients)
  scopes        text     NOT NULL DEFAULT '',
  disabled      smallint NOT NULL DEFAULT 0,
  created       bigint   NOT NULL,
  updated       bigint   NOT NULL
);

-- Tokens revoked before their expiry (logout); rows can go once `exp` (Unix s) passed.
CREATE TABLE revoked_token (
  jti text PRIMARY KEY,
  exp bigint NOT NULL
);

-- One row per access to patient data, write, login and token issued; append-only;
-- hash = SHA-256(previous hash || the row's canonical text). Appended by the writer,
-- which holds the store's write lock, so seq has no gaps and the chain no forks.
CREATE TABLE audit_log (
  seq         bigint   PRIMARY KEY,
  recorded    bigint   NOT NULL,
  action      text     NOT NULL,
  interaction text     NOT NULL,
  outcome     integer  NOT NULL,
  agent       text     NOT NULL,
  role        text     NOT NULL,
  facility    text     NOT NULL,
  address     text     NOT NULL,
  patient     text     NOT NULL,
  what        text     NOT NULL,
  reason      text     NOT NULL,
  flagged     smallint NOT NULL,
  hash        bytea    NOT NULL
);
CREATE INDEX audit_log_by_patient ON audit_log (patient, seq);
