import type { DatabaseCheckReport } from '../../core/ipc/contract';
import type { Database } from './database';

export type CheckStep = 'integrity' | 'foreignKeys' | 'schema';
export const checkSteps: readonly CheckStep[] = ['integrity', 'foreignKeys', 'schema'];

/**
 * Runs `PRAGMA integrity_check`, `PRAGMA foreign_key_check` and compares the recorded schema
 * version with the migrations table. Read-only.
 */
export async function checkDatabase(
  db: Database,
  expectedSchemaVersion: number,
  onStep: (step: CheckStep, index: number) => void = () => undefined,
): Promise<DatabaseCheckReport> {
  const problems: string[] = [];

  onStep('integrity', 0);
  const integrity = await db.all<{ integrity_check: string }>('PRAGMA integrity_check');
  for (const row of integrity) if (row.integrity_check !== 'ok') problems.push(`integrity: ${row.integrity_check}`);

  onStep('foreignKeys', 1);
  const fk = await db.all<{ table: string; rowid: number; parent: string }>('PRAGMA foreign_key_check');
  for (const row of fk)
    problems.push(`foreign key: ${row.table} row ${row.rowid} points at a missing ${row.parent} row`);

  onStep('schema', 2);
  const version = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
  const recorded = (await db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations'))?.v ?? 0;
  if (version !== expectedSchemaVersion)
    problems.push(`schema: database is at version ${version}, expected ${expectedSchemaVersion}`);
  if (recorded !== version)
    problems.push(`schema: schema_migrations records version ${recorded} but the file header says ${version}`);

  return { schemaVersion: version, ok: problems.length === 0, problems };
}
