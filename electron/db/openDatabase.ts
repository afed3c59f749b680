import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppException } from '../../core/ipc/result';
import { Database } from './database';
import { createPrivateFile, privateDirMode, tightenDataFolder } from './folderPermissions';
import { openAuditChain, type OpenAuditOptions } from './audit';
import { auditAnchorFileName, auditKeyFileName } from './auditChain';
import { latestSchemaVersion, migrations as shippedMigrations, type Migration } from './migrations/index';

export const databaseFileName = 'concord.sqlite';

/** The files of a data folder that hold study data or its keys: owner-only (0600) on POSIX. */
const dataFolderFiles = [
  databaseFileName,
  `${databaseFileName}-wal`,
  `${databaseFileName}-shm`,
  `${databaseFileName}-journal`,
  auditKeyFileName,
  auditAnchorFileName,
];

export interface OpenedDatabase {
  db: Database;
  path: string;
  schemaVersion: number;
  /** Migrations applied by this open (empty when the folder was already current). */
  applied: number[];
  /**
   * What was readable by other users and has been tightened by this open (POSIX), one line per
   * path (see `tightenDataFolder`); empty when the folder was already private.
   */
  permissionsTightened: string[];
}

export interface OpenOptions {
  /** For tests of the migration runner itself; the shipped list otherwise. */
  migrations?: readonly Migration[];
  appVersion: string;
  /** See `OpenAuditOptions`; 'refuse' unless the caller is there to report (audit-verify). */
  auditAnchorMismatch?: OpenAuditOptions['anchorMismatch'];
}

/**
 * Opens (creating when missing) the reader database of a data folder: WAL journal,
 * synchronous=FULL, foreign keys on, then applies pending migrations in one transaction.
 * A database written by a newer schema is refused before anything is written to it. A new folder
 * is created owner-only (0700, database 0600); an existing looser one is tightened and the
 * changes are returned in `permissionsTightened` for the caller to tell the user.
 * @throws AppException('IO') when the folder cannot be created or is a file;
 *         AppException('DB') for a newer schema, a file that is not a database, or a failed migration
 */
export async function openDatabase(dataDir: string, options: OpenOptions): Promise<OpenedDatabase> {
  const migrations = options.migrations ?? shippedMigrations;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  ensureFolder(dataDir);
  const path = join(dataDir, databaseFileName);

  if (existsSync(path)) {
    // Read the version through a read-only connection first, so that a folder from a newer
    // Concord is never touched (not even by switching its journal mode).
    const probe = await Database.open(path, 'readonly');
    try {
      const found = await readUserVersion(probe, path);
      refuseNewer(found, latest, dataDir);
    } finally {
      await probe.close();
    }
  }

  createPrivateFile(path);
  const db = await Database.open(path, 'readwrite');
  try {
    await db.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
    );
    const applied = await migrate(db, migrations, latest, dataDir, options.appVersion);
    const schemaVersion = await readUserVersion(db, path);
    await openAuditChain(db, dataDir, { anchorMismatch: options.auditAnchorMismatch ?? 'refuse' });
    // After the WAL exists, so that it and the SHM are checked too.
    const permissionsTightened = tightenDataFolder(dataDir, dataFolderFiles);
    return { db, path, schemaVersion, applied, permissionsTightened };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

async function migrate(
  db: Database,
  migrations: readonly Migration[],
  latest: number,
  dataDir: string,
  appVersion: string,
): Promise<number[]> {
  return db.transaction(async () => {
    // Checked again under the write lock: another process may have upgraded meanwhile.
    const current = await readUserVersion(db, db.path);
    refuseNewer(current, latest, dataDir);
    const pending = migrations.filter((m) => m.version > current);
    if (pending.length === 0) return [];
    await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     INTEGER PRIMARY KEY,
      name        TEXT NOT NULL,
      applied_at  TEXT NOT NULL,
      app_version TEXT NOT NULL
    ) STRICT`);
    for (const m of pending) {
      try {
        await db.exec(m.sql);
      } catch (err) {
        throw new AppException('DB', `Database migration ${m.version} (${m.name}) failed; nothing was changed.`, {
          cause: err,
        });
      }
      await db.run('INSERT INTO schema_migrations (version, name, applied_at, app_version) VALUES (?, ?, ?, ?)', [
        m.version,
        m.name,
        new Date().toISOString(),
        appVersion,
      ]);
      // user_version lives in the file header, so the version can be read without a schema.
      await db.exec(`PRAGMA user_version = ${Math.trunc(m.version)}`);
    }
    if (current === 0) {
      await db.run(
        "INSERT OR IGNORE INTO app_meta (key, value) VALUES ('data_folder_id', ?), ('created_at', ?), ('created_by_version', ?)",
        [randomUUID(), new Date().toISOString(), appVersion],
      );
    }
    return pending.map((m) => m.version);
  });
}

async function readUserVersion(db: Database, path: string): Promise<number> {
  try {
    const row = await db.get<{ user_version: number }>('PRAGMA user_version');
    return row?.user_version ?? 0;
  } catch (err) {
    if (err instanceof AppException && /SQLITE_NOTADB|not a database/i.test(err.message)) {
      throw new AppException(
        'DB',
        `${path} is not a Concord database (the file is not an SQLite database); it was not modified.`,
        { cause: err },
      );
    }
    throw err;
  }
}

function refuseNewer(found: number, latest: number, dataDir: string): void {
  if (found > latest) {
    throw new AppException(
      'DB',
      `The data folder ${dataDir} was written by a newer version of Concord (database schema ${found}; this version supports up to ${latest}). It was not modified: update Concord to open it.`,
    );
  }
}

function ensureFolder(dataDir: string): void {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    throw new AppException('IO', `The data folder ${dataDir} is a file, not a folder.`);
  }
  try {
    mkdirSync(dataDir, { recursive: true, mode: privateDirMode });
  } catch (err) {
    throw new AppException(
      'IO',
      `Cannot create the data folder ${dataDir}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`,
      { cause: err },
    );
  }
}

export { latestSchemaVersion };
