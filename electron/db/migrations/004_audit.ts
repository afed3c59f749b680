import type { Migration } from './index';

/**
 * The audit trail (SPEC §6): one row per write — who, when, what, before and after — each
 * row's hash covering the previous row's hash, so any edit, insertion or deletion inside the
 * chain is detectable (`concord audit-verify`). Triggers refuse UPDATE and DELETE.
 */
export const audit004: Migration = {
  version: 4,
  name: 'audit',
  sql: `
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT,
  before_json TEXT,
  after_json  TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL UNIQUE
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`,
};
