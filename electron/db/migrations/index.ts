import { init001 } from './001_init';
import { dicomIndex002 } from './002_dicom_index';
import { letb003 } from './003_letb';
import { audit004 } from './004_audit';
import { readingStudies005 } from './005_reading_studies';
import { cases006 } from './006_cases';
import { reads007 } from './007_reads';
import { outcomes008 } from './008_outcomes';
import { importIntegrity009 } from './009_import_integrity';
import { maskChecks010 } from './010_mask_checks';
import { signInSecurity011 } from './011_sign_in_security';
import { integrity012 } from './012_integrity';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every schema change, in order. Never edit a migration that has shipped: add the next
 * number. Kept as TypeScript strings (not .sql files) so the bundled main process, the host
 * and the CLI all carry them without a file lookup at run time.
 */
export const migrations: readonly Migration[] = [
  init001,
  dicomIndex002,
  letb003,
  audit004,
  readingStudies005,
  cases006,
  reads007,
  outcomes008,
  importIntegrity009,
  maskChecks010,
  signInSecurity011,
  integrity012,
];

export const latestSchemaVersion = migrations[migrations.length - 1]?.version ?? 0;
