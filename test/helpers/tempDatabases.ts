import { afterEach } from 'vitest';
import type { Database } from '../../electron/db/database';
import { openDatabase } from '../../electron/db/openDatabase';
import { makeTempDir } from './tempDir';

/**
 * Temporary folders and real SQLite data folders for one test file, closed and removed after
 * each test: `temp()` a fresh folder, `freshDb(dir)` a migrated database in `dir` (a fresh
 * folder by default).
 */
export function tempDatabases(): { temp(): string; freshDb(dir?: string): Promise<Database> } {
  const temps: { cleanup(): void }[] = [];
  const dbs: Database[] = [];
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map((d) => d.close()));
    temps.splice(0).forEach((t) => t.cleanup());
  });
  const temp = (): string => {
    const t = makeTempDir();
    temps.push(t);
    return t.path;
  };
  const freshDb = async (dir = temp()): Promise<Database> => {
    const { db } = await openDatabase(dir, { appVersion: 'test' });
    dbs.push(db);
    return db;
  };
  return { temp, freshDb };
}
