import type { Migration } from './index';

/**
 * Reading studies and their people. A study's protocol is frozen when reading starts; users are
 * per study (a coordinator and readers), each with a scrypt passphrase hash, never the
 * passphrase. Cases, assignments and reads follow in later migrations.
 */
export const readingStudies005: Migration = {
  version: 5,
  name: 'reading_studies',
  sql: `
CREATE TABLE reading_studies (
  id                  INTEGER PRIMARY KEY,
  name                TEXT NOT NULL UNIQUE,
  protocol_json       TEXT NOT NULL,
  randomization_seed  INTEGER NOT NULL,
  created_at          TEXT NOT NULL,
  frozen_at           TEXT,
  unblinded_at        TEXT
) STRICT;

CREATE TABLE study_users (
  id               INTEGER PRIMARY KEY,
  study_ref        INTEGER NOT NULL REFERENCES reading_studies(id),
  role             TEXT NOT NULL CHECK (role IN ('coordinator', 'reader')),
  display_name     TEXT NOT NULL,
  passphrase_hash  TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  UNIQUE (study_ref, display_name)
) STRICT;
`,
};
