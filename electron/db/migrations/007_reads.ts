import type { Migration } from './index';

/**
 * Reads: one per reader and case, created when the reader first opens the case, and its answers
 * (one row per item and timepoint, the value as JSON, replaced when changed; every change is
 * also in the audit trail with its before and after). A submitted read is locked: triggers
 * refuse any change of its answers, whatever code path tries.
 */
export const reads007: Migration = {
  version: 7,
  name: 'reads',
  sql: `
CREATE TABLE reads (
  id            INTEGER PRIMARY KEY,
  case_ref      INTEGER NOT NULL REFERENCES cases(id),
  reader_ref    INTEGER NOT NULL REFERENCES study_users(id),
  state         TEXT NOT NULL CHECK (state IN ('in_progress', 'submitted')),
  started_at    TEXT NOT NULL,
  submitted_at  TEXT,
  UNIQUE (case_ref, reader_ref)
) STRICT;
CREATE INDEX reads_reader ON reads(reader_ref);

CREATE TABLE read_entries (
  read_ref    INTEGER NOT NULL REFERENCES reads(id),
  timepoint   INTEGER NOT NULL CHECK (timepoint >= 0),
  item        TEXT NOT NULL,
  value_json  TEXT NOT NULL,
  saved_at    TEXT NOT NULL,
  PRIMARY KEY (read_ref, timepoint, item)
) STRICT;

CREATE TRIGGER read_entries_locked_insert BEFORE INSERT ON read_entries
  WHEN (SELECT state FROM reads WHERE id = NEW.read_ref) = 'submitted'
  BEGIN SELECT RAISE(ABORT, 'read is submitted and locked'); END;
CREATE TRIGGER read_entries_locked_update BEFORE UPDATE ON read_entries
  WHEN (SELECT state FROM reads WHERE id = OLD.read_ref) = 'submitted'
  BEGIN SELECT RAISE(ABORT, 'read is submitted and locked'); END;
CREATE TRIGGER read_entries_locked_delete BEFORE DELETE ON read_entries
  WHEN (SELECT state FROM reads WHERE id = OLD.read_ref) = 'submitted'
  BEGIN SELECT RAISE(ABORT, 'read is submitted and locked'); END;
`,
};
