import type { Migration } from './index';

/**
 * LETB: liver masks attached to a timepoint (identified, until cases exist, by the arterial
 * series whose grid the mask was mapped onto) and ROI placements with every input needed to
 * recompute and audit a value: mask hashes, ROI centre/size/shape, statistics, threshold and
 * the software version. Rows are never updated in place; a replaced or deleted placement
 * keeps its row with `deleted_at` set.
 */
export const letb003: Migration = {
  version: 3,
  name: 'letb',
  sql: `
CREATE TABLE masks (
  id                   INTEGER PRIMARY KEY,
  arterial_series_uid  TEXT NOT NULL,
  kind                 TEXT NOT NULL CHECK (kind IN ('liver', 'tumour')),
  source_format        TEXT NOT NULL CHECK (source_format IN ('seg', 'nifti', 'nrrd')),
  source_path          TEXT NOT NULL,
  segment_label        TEXT,
  file_sha256          TEXT NOT NULL,
  mask_sha256          TEXT NOT NULL,
  voxels               INTEGER NOT NULL,
  volume_ml            REAL NOT NULL,
  attached_at          TEXT NOT NULL,
  detached_at          TEXT
) STRICT;
CREATE INDEX masks_series ON masks(arterial_series_uid);

CREATE TABLE letb_placements (
  id                     INTEGER PRIMARY KEY,
  arterial_series_uid    TEXT NOT NULL,
  precontrast_series_uid TEXT NOT NULL,
  mask_ref               INTEGER NOT NULL REFERENCES masks(id),
  placement_no           INTEGER NOT NULL CHECK (placement_no >= 1),
  center_lps             TEXT NOT NULL,
  roi_ml                 REAL NOT NULL,
  roi_shape              TEXT NOT NULL CHECK (roi_shape IN ('sphere', 'cube')),
  roi_voxels             INTEGER NOT NULL,
  mean_hu                REAL NOT NULL,
  sd_hu                  REAL NOT NULL,
  threshold_hu           REAL NOT NULL,
  enhancing_voxels       INTEGER NOT NULL,
  enhancing_ml           REAL NOT NULL,
  liver_ml               REAL NOT NULL,
  letb_percent           REAL NOT NULL,
  flags                  TEXT NOT NULL,
  resampled_precontrast  INTEGER NOT NULL,
  software_version       TEXT NOT NULL,
  created_at             TEXT NOT NULL,
  deleted_at             TEXT
) STRICT;
CREATE INDEX letb_placements_series ON letb_placements(arterial_series_uid);
`,
};
