-- Migration 2: accounts (users and integration clients), the audit hash chain,
-- record ownership and care relationships (need-to-know access).

-- The facility (Organization id) whose staff created the record; only they change it.
ALTER TABLE resource ADD COLUMN owner TEXT NOT NULL DEFAULT '';

-- Care relationships derived at write time: an encounter at, a referral or an
-- order addressed to, or registration with a facility gives its staff access to
-- the patient's record until `until` (microseconds; open-ended = max int64).
CREATE TABLE care_link (
  patient_id TEXT    NOT NULL,
  org        TEXT    NOT NULL,
  until      INTEGER NOT NULL,
  rid        INTEGER NOT NULL,
  PRIMARY KEY (patient_id, org, rid)
) WITHOUT ROWID;
CREATE INDEX care_link_by_rid ON care_link (rid);

-- Consent refusals derived from active Consent resources: the patient withholds
-- their record (or the resource types in `types`, space-separated; '' = all) from
-- `org` ('*' = every facility but the one that wrote the record).
CREATE TABLE consent_deny (
  patient_id TEXT    NOT NULL,
  org        TEXT    NOT NULL,
  types      TEXT    NOT NULL,
  rid        INTEGER NOT NULL,
  PRIMARY KEY (patient_id, org, rid)
) WITHOUT ROWID;
CREATE INDEX consent_deny_by_rid ON consent_deny (rid);

CREATE TABLE account (
  name          TEXT PRIMARY KEY,          -- user name, or client_id for a client
  kind          TEXT NOT NULL,             -- 'user' or 'client'
  role          TEXT NOT NULL,             -- see access/roles.h
  facility      TEXT NOT NULL DEFAULT '',  -- MA_CSKCB code of the facility ('' for province-wide roles)
  display       TEXT NOT NULL DEFAULT '',
  practitioner  TEXT NOT NULL DEFAULT '',  -- Practitioner id for staff
  patient       TEXT NOT NULL DEFAULT '',  -- Patient id for a citizen
  password_hash TEXT NOT NULL DEFAULT '',  -- Argon2id PHC string (users)
  jwks          TEXT NOT NULL DEFAULT '',  -- registered public keys (clients, private_key_jwt)
  scopes        TEXT NOT NULL DEFAULT '',  -- the most a client may be granted
  disabled      INTEGER NOT NULL DEFAULT 0,
  created       INTEGER NOT NULL,
  updated       INTEGER NOT NULL
) WITHOUT ROWID;

-- The audit trail: one row per access to patient data, write, login and token
-- issued, append-only and hash-chained: hash = SHA-256(previous hash || the row's
-- canonical text); see storage/audit_record.h. Served as FHIR AuditEvent.
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  recorded    INTEGER NOT NULL,   -- microseconds since the epoch, UTC
  action      TEXT    NOT NULL,   -- AuditEvent.action: C R U D E
  interaction TEXT    NOT NULL,   -- read, vread, search, history, create, update, patch, delete, transaction, login, token
  outcome     INTEGER NOT NULL,   -- AuditEvent.outcome: 0 success, 4 refused, 8 failed
  agent       TEXT    NOT NULL,   -- user:<name>, client:<id>, operator
  role        TEXT    NOT NULL,
  facility    TEXT    NOT NULL,   -- MA_CSKCB code
  address     TEXT    NOT NULL,   -- the client's network address
  patient     TEXT    NOT NULL,   -- Patient id concerned ('' for none)
  what        TEXT    NOT NULL,   -- Type/id, or Type?query
  reason      TEXT    NOT NULL,   -- break-the-glass reason, or why it was refused
  flagged     INTEGER NOT NULL,   -- 1: break-the-glass, to be reviewed
  hash        BLOB    NOT NULL
);
CREATE INDEX audit_log_by_patient ON audit_log (patient, seq);
