import type { Migration } from './index';

/**
 * Mask identity and sanity (issue 12 item 7): each attached mask keeps the name of its file and
 * the result of the checks made when it was attached, as JSON `{status, warnings, overridden}`
 * (`MaskChecks`: 'ok', 'warnings' such as a liver volume outside 300-6,000 mL, or 'overridden'
 * with what differed between a DICOM SEG's references and the exam when the coordinator
 * confirmed it anyway). Masks attached before this migration have no checks (NULL); their file
 * name is taken from the stored path.
 */
export const maskChecks010: Migration = {
  version: 10,
  name: 'mask_checks',
  sql: `
ALTER TABLE masks ADD COLUMN file_name TEXT NOT NULL DEFAULT '';
ALTER TABLE masks ADD COLUMN checks TEXT CHECK (checks IS NULL OR json_valid(checks));
-- The last path component, after the last '/' or '\\': rtrim removes every character but the separators' tail.
UPDATE masks SET file_name = replace(source_path, rtrim(source_path, replace(replace(source_path, '/', ''), '\\', '')), '');
`,
};
