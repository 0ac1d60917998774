-- healthbook core schema, PostgreSQL dialect. Migration 1.
-- Every version of every resource is kept in `version`; `resource` points at the current
-- one through (rid, version). Index tables hold rows for current versions only.
--
-- pkey, the patient key: every row that belongs to a patient's record carries the id of
-- that patient (a Patient's own id; for any other resource the first Patient of its
-- compartment when it was created; '' for shared data such as Organization, Practitioner,
-- CodeSystem, ValueSet). A resource keeps its pkey for life, and its versions and index
-- rows copy it, so a Citus-style distribution by pkey keeps each patient's rows on one
-- shard (docs/implementation/storage.md).

CREATE TABLE resource (
  rid          bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  pkey         text     NOT NULL,
  type         text COLLATE "C" NOT NULL,
  id           text COLLATE "C" NOT NULL,
  version      bigint   NOT NULL,
  deleted      smallint NOT NULL DEFAULT 0,
  last_updated bigint   NOT NULL,            -- microseconds since epoch, UTC
  owner        text     NOT NULL DEFAULT '', -- the creating facility's Organization id
  UNIQUE (type, id)
);
-- A type's live resources in write order: searches without criteria, counts, export.
CREATE INDEX resource_live_by_type ON resource (type, rid) WHERE deleted = 0;
CREATE INDEX resource_by_pkey ON resource (pkey);

CREATE TABLE version (
  seq          bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- global change order
  rid          bigint   NOT NULL,
  pkey         text     NOT NULL,
  type         text     NOT NULL,
  version      bigint   NOT NULL,
  last_updated bigint   NOT NULL,
  method       smallint NOT NULL,            -- 0 create, 1 update, 2 patch, 3 delete
  json         bytea                         -- canonical JSON bytes; NULL for a delete
);
CREATE UNIQUE INDEX version_by_rid ON version (rid, version);
CREATE INDEX version_by_type ON version (type, seq);
CREATE INDEX version_by_time ON version (last_updated);

-- Patient compartment membership, recorded at write time. patient_id is the patient key.
-- A resource's rows here (and in care_link, consent_deny) are replaced together with its
-- index rows in one statement, distinct by construction: plain indexes, no unique keys
-- (a unique check could meet the row that the same statement is deleting).
CREATE TABLE compartment_patient (
  patient_id text   NOT NULL,
  rid        bigint NOT NULL
);
CREATE INDEX compartment_patient_lookup ON compartment_patient (patient_id, rid);
CREATE INDEX compartment_patient_by_rid ON compartment_patient (rid);

-- Care relationships (need-to-know access): see the SQLite migration 2.
CREATE TABLE care_link (
  patient_id text   NOT NULL,
  org        text   NOT NULL,
  until      bigint NOT NULL,
  rid        bigint NOT NULL
);
CREATE INDEX care_link_lookup ON care_link (patient_id, org, until);
CREATE INDEX care_link_by_rid ON care_link (rid);

-- Consent refusals: the patient withholds `types` (space-separated; '' = all) from `org`.
CREATE TABLE consent_deny (
  patient_id text   NOT NULL,
  org        text   NOT NULL,
  types      text   NOT NULL,
  rid        bigint NOT NULL
);
CREATE INDEX consent_deny_lookup ON consent_deny (patient_id, org);
CREATE INDEX consent_deny_by_rid ON consent_deny (rid);
