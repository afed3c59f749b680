import type { Migration } from './index';

/**
 * Outcomes of a reading study's cases (SPEC §5), imported by the coordinator after unblinding:
 * one row per case with its event dates (ISO YYYY-MM-DD; an event date NULL when the event did
 * not happen), when they were imported and the SHA-256 of the imported file. A re-import
 * replaces every row of the study in one transaction with its audit row (`study.outcomes.import`,
 * row count and hash only: dates stay out of the audit trail).
 */
export const outcomes008: Migration = {
  version: 8,
  name: 'outcomes',
  sql: `
CREATE TABLE case_outcomes (
  case_ref                     INTEGER PRIMARY KEY REFERENCES cases(id),
  last_followup_date           TEXT NOT NULL,
  death                        INTEGER NOT NULL CHECK (death IN (0, 1)),
  hepatic_progression_date     TEXT,
  progression_date             TEXT,
  untreatable_progression_date TEXT,
  imported_at                  TEXT NOT NULL,
  source_sha256                TEXT NOT NULL
) STRICT;
`,
};
