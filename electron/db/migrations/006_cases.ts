import type { Migration } from './index';

/**
 * Cases of a reading study: one patient treatment with its timepoints (ordinal 0 = baseline),
 * each pointing at an imported DICOM study. Readers see only the case code and timepoint
 * labels relative to the baseline.
 */
export const cases006: Migration = {
  version: 6,
  name: 'cases',
  sql: `
CREATE TABLE cases (
  id          INTEGER PRIMARY KEY,
  study_ref   INTEGER NOT NULL REFERENCES reading_studies(id),
  case_code   TEXT NOT NULL,
  patient_ref INTEGER NOT NULL REFERENCES patients(id),
  created_at  TEXT NOT NULL,
  UNIQUE (study_ref, case_code)
) STRICT;

CREATE TABLE case_timepoints (
  id              INTEGER PRIMARY KEY,
  case_ref        INTEGER NOT NULL REFERENCES cases(id),
  ordinal         INTEGER NOT NULL CHECK (ordinal >= 0),
  dicom_study_ref INTEGER NOT NULL REFERENCES studies(id),
  UNIQUE (case_ref, ordinal),
  UNIQUE (case_ref, dicom_study_ref)
) STRICT;
`,
};
