import type { Migration } from './index';

/**
 * Trustworthy imports:
 * - import_runs gains the state `interrupted` (a run its process never finished, found at the
 *   next start) and who runs it (`owner_pid`, `owner_host`), so a live run in another process is
 *   not mistaken for a dead one. SQLite cannot change a CHECK in place: the table is rebuilt,
 *   and import_skips with it (its foreign key names import_runs).
 * - import_skips gains `series_instance_uid`: the series an image would have joined when the file
 *   itself was refused (its series then says it is incomplete).
 * - instances gain `problems` (JSON array of sentences: why this image cannot join a volume,
 *   found from its header at import), `content_digest` (size and SHA-256 of the bytes the import
 *   read, to tell a re-import of the same file from a different file reusing its SOP Instance
 *   UID) and `frame_positions` (JSON, every frame's position of a multi-frame object).
 * - series left without instances by earlier versions (a file reusing an indexed SOP Instance
 *   UID under a new Series Instance UID) are removed: no empty series ever remains.
 */
export const importIntegrity009: Migration = {
  version: 9,
  name: 'import_integrity',
  sql: `
CREATE TABLE import_skips_old AS SELECT id, run_ref, file_path, reason FROM import_skips;
DROP TABLE import_skips;

CREATE TABLE import_runs_new (
  id              INTEGER PRIMARY KEY,
  folder          TEXT NOT NULL,
  started_at      TEXT NOT NULL,
  finished_at     TEXT,
  state           TEXT NOT NULL CHECK (state IN ('running','succeeded','cancelled','failed','interrupted')),
  files_seen      INTEGER NOT NULL DEFAULT 0,
  instances_added INTEGER NOT NULL DEFAULT 0,
  already_indexed INTEGER NOT NULL DEFAULT 0,
  files_skipped   INTEGER NOT NULL DEFAULT 0,
  owner_pid       INTEGER,
  owner_host      TEXT
) STRICT;
INSERT INTO import_runs_new (id, folder, started_at, finished_at, state, files_seen, instances_added, already_indexed, files_skipped)
  SELECT id, folder, started_at, finished_at, state, files_seen, instances_added, already_indexed, files_skipped FROM import_runs;
DROP TABLE import_runs;
ALTER TABLE import_runs_new RENAME TO import_runs;

CREATE TABLE import_skips (
  id                  INTEGER PRIMARY KEY,
  run_ref             INTEGER NOT NULL REFERENCES import_runs(id),
  file_path           TEXT NOT NULL,
  reason              TEXT NOT NULL,
  series_instance_uid TEXT
) STRICT;
INSERT INTO import_skips (id, run_ref, file_path, reason) SELECT id, run_ref, file_path, reason FROM import_skips_old;
DROP TABLE import_skips_old;
CREATE INDEX import_skips_run ON import_skips(run_ref);
CREATE INDEX import_skips_series ON import_skips(series_instance_uid) WHERE series_instance_uid IS NOT NULL;

ALTER TABLE instances ADD COLUMN problems TEXT NOT NULL DEFAULT '[]';
ALTER TABLE instances ADD COLUMN content_digest TEXT;
ALTER TABLE instances ADD COLUMN frame_positions TEXT;
CREATE INDEX instances_file ON instances(file_path);
CREATE INDEX import_skips_file ON import_skips(file_path);

DELETE FROM series WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.series_ref = series.id);
`,
};
