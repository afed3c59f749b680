import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { Database } from '../../electron/db/database';
import { checkDatabase } from '../../electron/db/checkDatabase';
import { databaseFileName, openDatabase } from '../../electron/db/openDatabase';
import { latestSchemaVersion, migrations, type Migration } from '../../electron/db/migrations/index';
import { AppException } from '../../core/ipc/result';
import { makeTempDir } from '../helpers/tempDir';

const temps: { cleanup(): void }[] = [];
function tempDir(): string {
  const t = makeTempDir();
  temps.push(t);
  return t.path;
}
afterEach(() => temps.splice(0).forEach((t) => t.cleanup()));

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Writes an SQLite file with the plain sqlite3 driver, outside our wrapper. */
function writeRawDatabase(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const raw = new sqlite3.Database(file, (err) => {
      if (err) return reject(err);
      raw.exec(sql, (e) => (e ? reject(e) : raw.close((c) => (c ? reject(c) : resolve()))));
    });
  });
}

describe('openDatabase', () => {
  it('creates a new data folder at the latest schema with WAL, synchronous=FULL and foreign keys', async () => {
    const dir = join(tempDir(), 'nested', 'data');
    const { db, schemaVersion, applied } = await openDatabase(dir, { appVersion: 'test' });
    try {
      expect(schemaVersion).toBe(latestSchemaVersion);
      expect(applied).toEqual(migrations.map((m) => m.version));
      expect((await db.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode).toBe('wal');
      expect((await db.get<{ synchronous: number }>('PRAGMA synchronous'))?.synchronous).toBe(2); // 2 = FULL
      expect((await db.get<{ foreign_keys: number }>('PRAGMA foreign_keys'))?.foreign_keys).toBe(1);
      const recorded = await db.all<{ version: number; app_version: string }>(
        'SELECT version, app_version FROM schema_migrations ORDER BY version',
      );
      expect(recorded).toEqual(migrations.map((m) => ({ version: m.version, app_version: 'test' })));
      const meta = await db.all<{ key: string }>('SELECT key FROM app_meta ORDER BY key');
      expect(meta.map((r) => r.key)).toEqual(['audit_key_id', 'created_at', 'created_by_version', 'data_folder_id']);
    } finally {
      await db.close();
    }
    expect(existsSync(join(dir, databaseFileName))).toBe(true);
  });

  it('reopens an existing folder without applying anything again and keeps its data', async () => {
    const dir = tempDir();
    const first = await openDatabase(dir, { appVersion: 'a' });
    const id = (await first.db.get<{ value: string }>("SELECT value FROM app_meta WHERE key = 'data_folder_id'"))
      ?.value;
    await first.db.close();
    const second = await openDatabase(dir, { appVersion: 'b' });
    try {
      expect(second.applied).toEqual([]);
      expect(second.schemaVersion).toBe(latestSchemaVersion);
      expect(
        (await second.db.get<{ value: string }>("SELECT value FROM app_meta WHERE key = 'data_folder_id'"))?.value,
      ).toBe(id);
    } finally {
      await second.db.close();
    }
  });

  it('applies only the pending migrations of an older folder', async () => {
    const dir = tempDir();
    const v1 = await openDatabase(dir, { appVersion: 'old', migrations: migrations.slice(0, 1) });
    await v1.db.close();
    const next: Migration = {
      version: 99,
      name: 'test_add',
      sql: 'CREATE TABLE added_later (id INTEGER PRIMARY KEY) STRICT;',
    };
    const upgraded = await openDatabase(dir, { appVersion: 'new', migrations: [...migrations.slice(0, 1), next] });
    try {
      expect(upgraded.applied).toEqual([99]);
      expect(upgraded.schemaVersion).toBe(99);
      expect(await upgraded.db.get("SELECT name FROM sqlite_master WHERE name = 'added_later'")).toEqual({
        name: 'added_later',
      });
    } finally {
      await upgraded.db.close();
    }
  });

  it('rolls back every migration of a run when one fails', async () => {
    const dir = tempDir();
    const broken: Migration[] = [
      ...migrations,
      { version: 50, name: 'good', sql: 'CREATE TABLE good_one (id INTEGER) STRICT;' },
      { version: 51, name: 'bad', sql: 'CREATE TABLE broken (id INTEGER' },
    ];
    const err = await openDatabase(dir, { appVersion: 't', migrations: broken }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppException);
    expect((err as AppException).code).toBe('DB');
    expect((err as AppException).message).toMatch(/migration 51 \(bad\) failed; nothing was changed/);
    const db = await Database.open(join(dir, databaseFileName), 'readonly');
    try {
      expect((await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version).toBe(0);
      expect(await db.all("SELECT name FROM sqlite_master WHERE type = 'table'")).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('refuses a folder written by a newer schema and leaves the file byte-identical', async () => {
    const dir = tempDir();
    const file = join(dir, databaseFileName);
    await writeRawDatabase(file, 'CREATE TABLE from_the_future (x TEXT); PRAGMA user_version = 999;');
    const before = sha256(file);
    const filesBefore = readdirSync(dir).sort();
    const err = await openDatabase(dir, { appVersion: 't' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppException);
    expect((err as AppException).code).toBe('DB');
    expect((err as AppException).message).toContain(
      `newer version of Concord (database schema 999; this version supports up to ${latestSchemaVersion})`,
    );
    expect((err as AppException).message).toContain('It was not modified');
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(filesBefore);
  });

  it('names a file that is not a database, and does not overwrite it', async () => {
    const dir = tempDir();
    const file = join(dir, databaseFileName);
    writeFileSync(file, 'this is a text file, not SQLite '.repeat(200));
    const before = sha256(file);
    const err = await openDatabase(dir, { appVersion: 't' }).catch((e: unknown) => e);
    expect((err as AppException).code).toBe('DB');
    expect((err as AppException).message).toMatch(/is not a Concord database/);
    expect(sha256(file)).toBe(before);
  });

  it('refuses a data folder path that is a file', async () => {
    const dir = tempDir();
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const err = await openDatabase(file, { appVersion: 't' }).catch((e: unknown) => e);
    expect((err as AppException).code).toBe('IO');
    expect((err as AppException).message).toMatch(/is a file, not a folder/);
  });
});

describe('Database.transaction', () => {
  it('queues concurrent transactions instead of nesting them, and rolls back a failed one', async () => {
    const { db } = await openDatabase(tempDir(), { appVersion: 't' });
    try {
      await db.exec('CREATE TABLE counter (n INTEGER NOT NULL) STRICT; INSERT INTO counter VALUES (0);');
      const bump = () =>
        db.transaction(async (tx) => {
          const n = (await tx.get<{ n: number }>('SELECT n FROM counter'))!.n;
          await new Promise((r) => setTimeout(r, 1));
          await tx.run('UPDATE counter SET n = ?', [n + 1]);
        });
      const failing = db.transaction(async (tx) => {
        await tx.run('UPDATE counter SET n = 1000');
        throw new Error('boom');
      });
      await Promise.all([bump(), bump(), failing.catch(() => undefined), bump()]);
      expect((await db.get<{ n: number }>('SELECT n FROM counter'))!.n).toBe(3);
    } finally {
      await db.close();
    }
  });

  it('reports SQL errors as DB AppExceptions without the SQL text in the message', async () => {
    const { db } = await openDatabase(tempDir(), { appVersion: 't' });
    try {
      const err = await db.all('SELECT secret_column FROM no_such_table').catch((e: unknown) => e);
      expect((err as AppException).code).toBe('DB');
      expect((err as AppException).message).not.toContain('SELECT');
      expect((err as AppException).message).toContain('no such table');
    } finally {
      await db.close();
    }
  });
});

describe('checkDatabase', () => {
  it('is ok on a fresh database and reports a broken foreign key', async () => {
    const { db, schemaVersion } = await openDatabase(tempDir(), { appVersion: 't' });
    try {
      expect(await checkDatabase(db, schemaVersion)).toEqual({ schemaVersion, ok: true, problems: [] });
      await db.exec(`
        CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
        CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id)) STRICT;
        PRAGMA foreign_keys = OFF; INSERT INTO child VALUES (1, 42); PRAGMA foreign_keys = ON;`);
      const steps: string[] = [];
      const report = await checkDatabase(db, schemaVersion, (s) => steps.push(s));
      expect(steps).toEqual(['integrity', 'foreignKeys', 'schema']);
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual(['foreign key: child row 1 points at a missing parent row']);
    } finally {
      await db.close();
    }
  });
});
