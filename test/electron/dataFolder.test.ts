import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServices } from '../../electron/services/createServices';
import { silentLogger, type Logger } from '../../electron/services/logger';
import { databaseFileName, openDatabase } from '../../electron/db/openDatabase';
import { posixPermissions } from '../../electron/db/folderPermissions';
import type { AppInfo } from '../../core/ipc/contract';
import { makeTempDir } from '../helpers/tempDir';
import { concord } from '../helpers/concord';

/**
 * The data folder holds identities, reads and passphrase hashes: on POSIX it is the owner's only
 * (folder 0700, files 0600), whatever the umask, and a looser folder from before is tightened
 * with a notice (log, Home's data-folder line, CLI stderr).
 */

const temps: { cleanup(): void }[] = [];
afterEach(() => temps.splice(0).forEach((t) => t.cleanup()));
const tempDir = () => {
  const t = makeTempDir();
  temps.push(t);
  return t.path;
};
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe.skipIf(!posixPermissions)('data folder permissions (POSIX)', () => {
  it('creates a new folder 0700 with its database, WAL and SHM 0600, even under umask 000', async () => {
    const dir = join(tempDir(), 'new', 'data');
    const umask = process.umask(0);
    try {
      const { db, permissionsTightened } = await openDatabase(dir, { appVersion: 't' });
      try {
        await db.transaction(() => db.run("INSERT INTO app_meta (key, value) VALUES ('x', 'y')"));
        expect(permissionsTightened).toEqual([]);
        expect(mode(dir)).toBe('700');
        for (const f of [databaseFileName, `${databaseFileName}-wal`, `${databaseFileName}-shm`])
          expect([f, mode(join(dir, f))]).toEqual([f, '600']);
      } finally {
        await db.close();
      }
    } finally {
      process.umask(umask);
    }
  });

  it('tightens a world-readable folder from before, and says so in the log and on Home', async () => {
    const dir = join(tempDir(), 'data');
    const first = await openDatabase(dir, { appVersion: 't' });
    await first.db.close();
    mkdirSync(join(dir, 'exports', 'Study_report_1'), { recursive: true });
    writeFileSync(join(dir, 'exports', 'Study_reads.csv'), 'case_code\n');
    writeFileSync(join(dir, 'exports', 'Study_report_1', 'report.html'), '<p>');
    chmodSync(dir, 0o755);
    chmodSync(join(dir, databaseFileName), 0o644);
    chmodSync(join(dir, 'exports'), 0o755);
    chmodSync(join(dir, 'exports', 'Study_report_1'), 0o775);
    chmodSync(join(dir, 'exports', 'Study_reads.csv'), 0o644);
    chmodSync(join(dir, 'exports', 'Study_report_1', 'report.html'), 0o666);

    const logged: string[] = [];
    const logger: Logger = { info: (m) => logged.push(m), error: () => undefined };
    const services = await createServices({ dataDir: dir, shell: 'host', logger });
    try {
      expect(mode(dir)).toBe('700');
      expect(mode(join(dir, databaseFileName))).toBe('600');
      expect(mode(join(dir, 'exports'))).toBe('700');
      expect(mode(join(dir, 'exports', 'Study_report_1'))).toBe('700');
      expect(mode(join(dir, 'exports', 'Study_reads.csv'))).toBe('600');
      expect(mode(join(dir, 'exports', 'Study_report_1', 'report.html'))).toBe('600');
      const info = (await services.dispatch('getAppInfo', undefined)) as { ok: true; value: AppInfo };
      expect(info.value.dataFolderNotice).toMatch(
        /^Other users of this computer could read the data folder; its permissions were tightened to the owner only: /,
      );
      expect(info.value.dataFolderNotice).toContain(`data folder ${dir} was 0755, now 0700`);
      expect(info.value.dataFolderNotice).toContain(`${databaseFileName} was 0644, now 0600`);
      expect(info.value.dataFolderNotice).toContain('exports/Study_report_1/report.html was 0666, now 0600');
      expect(logged).toContain(info.value.dataFolderNotice);
    } finally {
      await services.close();
    }

    // Once private, nothing more to say.
    const again = await createServices({ dataDir: dir, shell: 'host', logger: silentLogger });
    try {
      expect(again.context.dataFolderNotice).toBeNull();
    } finally {
      await again.close();
    }
  });

  it('warns on stderr from the CLI, leaving stdout to the command', async () => {
    const dir = join(tempDir(), 'data');
    expect((await concord('db-check', '--data-dir', dir, '--json')).code).toBe(0);
    chmodSync(dir, 0o750);
    chmodSync(join(dir, databaseFileName), 0o640);
    const { code, stdout, stderr } = await concord('db-check', '--data-dir', dir, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true });
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(/^concord: warning: Other users of this computer could read the data folder; /),
      '',
    ]);
    // SQLite gives the WAL and SHM the database's mode: they were 0640 too, and are tightened with it.
    expect(stderr).toContain(
      `data folder ${dir} was 0750, now 0700; concord.sqlite was 0640, now 0600; concord.sqlite-wal was 0640, now 0600`,
    );
    expect(mode(dir)).toBe('700');
    expect((await concord('db-check', '--data-dir', dir, '--json')).stderr).toBe('');
  });

  it('leaves a symbolic link in exports alone (never follows it)', async () => {
    const base = tempDir();
    const dir = join(base, 'data');
    const outside = join(base, 'outside.txt');
    writeFileSync(outside, 'not ours');
    chmodSync(outside, 0o644);
    mkdirSync(join(dir, 'exports'), { recursive: true, mode: 0o700 });
    const { symlinkSync } = await import('node:fs');
    symlinkSync(outside, join(dir, 'exports', 'link.txt'));
    const { db } = await openDatabase(dir, { appVersion: 't' });
    await db.close();
    expect(mode(outside)).toBe('644');
  });
});
