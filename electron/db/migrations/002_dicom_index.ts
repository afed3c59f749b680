import type { Migration } from './index';

/**
 * The DICOM index: patient → study → series → instance, with file paths and the tags volume
 * loading and phase recognition need; import runs and the files each one skipped, with reasons.
 * Identity fields (names, IDs, birth dates, accession numbers, institutions) are stored here
 * for the coordinator and never sent to a reader's screen.
 */
export const dicomIndex002: Migration = {
  version: 2,
  name: 'dicom_index',
  sql: `
CREATE TABLE patients (
  id            INTEGER PRIMARY KEY,
  patient_key   TEXT NOT NULL UNIQUE,
  patient_id    TEXT NOT NULL,
  patient_name  TEXT NOT NULL,
  birth_date    TEXT NOT NULL,
  sex           TEXT NOT NULL
) STRICT;

CREATE TABLE studies (
  id                  INTEGER PRIMARY KEY,
  patient_ref         INTEGER NOT NULL REFERENCES patients(id),
  study_instance_uid  TEXT NOT NULL UNIQUE,
  study_date          TEXT NOT NULL,
  study_time          TEXT NOT NULL,
  description         TEXT NOT NULL,
  accession_number    TEXT NOT NULL,
  institution_name    TEXT NOT NULL
) STRICT;
CREATE INDEX studies_patient ON studies(patient_ref);

CREATE TABLE series (
  id                    INTEGER PRIMARY KEY,
  study_ref             INTEGER NOT NULL REFERENCES studies(id),
  series_instance_uid   TEXT NOT NULL UNIQUE,
  modality              TEXT NOT NULL,
  description           TEXT NOT NULL,
  series_number         INTEGER,
  series_date           TEXT NOT NULL,
  series_time           TEXT NOT NULL,
  frame_of_reference_uid TEXT NOT NULL,
  manufacturer          TEXT NOT NULL,
  sop_class_uid         TEXT NOT NULL,
  phase                 TEXT NOT NULL DEFAULT 'other' CHECK (phase IN ('precontrast','arterial','portal_venous','other')),
  phase_confidence      REAL NOT NULL DEFAULT 0,
  phase_rule            TEXT NOT NULL DEFAULT '',
  phase_override        TEXT CHECK (phase_override IN ('precontrast','arterial','portal_venous','other')),
  phase_override_at     TEXT
) STRICT;
CREATE INDEX series_study ON series(study_ref);

CREATE TABLE instances (
  id                    INTEGER PRIMARY KEY,
  series_ref            INTEGER NOT NULL REFERENCES series(id),
  sop_instance_uid      TEXT NOT NULL UNIQUE,
  sop_class_uid         TEXT NOT NULL,
  file_path             TEXT NOT NULL,
  file_size             INTEGER NOT NULL,
  transfer_syntax_uid   TEXT NOT NULL,
  instance_number       INTEGER,
  acquisition_date      TEXT NOT NULL,
  acquisition_time      TEXT NOT NULL,
  content_time          TEXT NOT NULL,
  contrast_agent        TEXT NOT NULL,
  contrast_start_time   TEXT NOT NULL,
  image_type            TEXT NOT NULL,
  image_position        TEXT,
  image_orientation     TEXT,
  pixel_spacing         TEXT,
  slice_thickness_mm    REAL,
  rows                  INTEGER,
  columns               INTEGER,
  bits_allocated        INTEGER,
  pixel_representation  INTEGER,
  rescale_slope         REAL,
  rescale_intercept     REAL,
  number_of_frames      INTEGER NOT NULL
) STRICT;
CREATE INDEX instances_series ON instances(series_ref);

CREATE TABLE import_runs (
  id              INTEGER PRIMARY KEY,
  folder          TEXT NOT NULL,
  started_at      TEXT NOT NULL,
  finished_at     TEXT,
  state           TEXT NOT NULL CHECK (state IN ('running','succeeded','cancelled','failed')),
  files_seen      INTEGER NOT NULL DEFAULT 0,
  instances_added INTEGER NOT NULL DEFAULT 0,
  already_indexed INTEGER NOT NULL DEFAULT 0,
  files_skipped   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE import_skips (
  id        INTEGER PRIMARY KEY,
  run_ref   INTEGER NOT NULL REFERENCES import_runs(id),
  file_path TEXT NOT NULL,
  reason    TEXT NOT NULL
) STRICT;
CREATE INDEX import_skips_run ON import_skips(run_ref);
`,
};
