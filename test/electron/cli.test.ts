import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import { projectRoot, sharedDataDir } from '../../electron/platform/paths';
import { makeTempDir } from '../helpers/tempDir';
import { concord } from '../helpers/concord';

const temps: { cleanup(): void }[] = [];
afterEach(() => temps.splice(0).forEach((t) => t.cleanup()));

describe('concord CLI', () => {
  it('version --json prints the package version and schema', async () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      version: string;
      name: string;
    };
    const { code, stdout } = await concord('version', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      name: 'concord-reader',
      productName: 'Concord',
      version: pkg.version,
      schemaVersion: latestSchemaVersion,
    });
  });

  it('db-check creates a new data folder, then checks it again unchanged', async () => {
    const t = makeTempDir();
    temps.push(t);
    const dir = join(t.path, 'fresh');
    const first = await concord('db-check', '--data-dir', dir, '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ schemaVersion: latestSchemaVersion, ok: true });
    const second = await concord('db-check', '--data-dir', dir, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ schemaVersion: latestSchemaVersion, ok: true });
  });

  it('db-check refuses a folder from a newer Concord with one line and exit 1, leaving it unchanged', async () => {
    const t = makeTempDir();
    temps.push(t);
    const file = join(t.path, 'concord.sqlite');
    await new Promise<void>((resolve, reject) => {
      const db = new sqlite3.Database(file, (e) =>
        e ? reject(e) : db.exec('PRAGMA user_version = 77', (x) => (x ? reject(x) : db.close(() => resolve()))),
      );
    });
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const { code, stdout, stderr } = await concord('db-check', '--data-dir', t.path, '--json');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/newer version of Concord \(database schema 77/);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
  });

  it('db-check reports a data folder that is a file', async () => {
    const t = makeTempDir();
    temps.push(t);
    const file = join(t.path, 'x');
    writeFileSync(file, '');
    const { code, stderr } = await concord('db-check', '--data-dir', file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/is a file, not a folder/);
  });

  it.each([
    [['db-check', '--bogus'], /Unknown option '--bogus'/],
    [['db-check', '--data-dir'], /--data-dir/],
    [['version', 'extra'], /Unexpected argument 'extra'/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('rejects %j with exit 2 and a one-line message', async (args, message) => {
    const { code, stderr } = await concord(...args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('import --json indexes a folder and series --json lists it; a second import adds nothing', async () => {
    const t = makeTempDir();
    temps.push(t);
    const folder = join(sharedDataDir, 'dicom/dcmqi/segmentations');
    const first = await concord('import', folder, '--data-dir', t.path, '--json');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as {
      patients: number;
      studies: number;
      series: number;
      instances: number;
      added: number;
      skipped: { path: string; reason: string }[];
    };
    expect(Object.keys(summary).slice(0, 5)).toEqual(['patients', 'studies', 'series', 'instances', 'skipped']);
    expect(summary.instances).toBeGreaterThanOrEqual(3);
    expect(summary.skipped.find((k) => k.path.endsWith('liver_seg.nrrd'))?.reason).toMatch(/Not a DICOM file/);
    const again = JSON.parse((await concord('import', folder, '--data-dir', t.path, '--json')).stdout) as {
      added: number;
      instances: number;
    };
    expect(again).toMatchObject({ added: 0, instances: summary.instances });
    const series = JSON.parse((await concord('series', '--data-dir', t.path, '--json')).stdout) as Record<
      string,
      unknown
    >[];
    expect(series).toHaveLength(summary.series);
    const ct = series.find((s) => s.dims && (s.dims as number[]).join() === '512,512,3' && s.modality === 'CT');
    expect(ct).toMatchObject({ modality: 'CT', phase: 'other', instances: 3 });
    for (const key of [
      'seriesInstanceUid',
      'studyInstanceUid',
      'modality',
      'description',
      'phase',
      'dims',
      'spacingMm',
      'instances',
    ])
      expect(ct).toHaveProperty(key);
    expect(ct).toMatchObject({ loadable: true, problems: [] });
  });

  it('import-runs --json lists the import history, newest first', async () => {
    const t = makeTempDir();
    temps.push(t);
    const folder = join(sharedDataDir, 'dicom/dcmqi/segmentations/ct-3slice');
    expect((await concord('import', folder, '--data-dir', t.path, '--json')).code).toBe(0);
    const runs = JSON.parse((await concord('import-runs', '--data-dir', t.path, '--json')).stdout) as Record<
      string,
      unknown
    >[];
    expect(runs).toEqual([
      expect.objectContaining({ folder, state: 'succeeded', filesSeen: 3, added: 3, alreadyIndexed: 0, skipped: 0 }),
    ]);
  });

  it('import rejects a missing folder argument (exit 2) and a missing folder (exit 1)', async () => {
    const t = makeTempDir();
    temps.push(t);
    expect((await concord('import', '--data-dir', t.path)).code).toBe(2);
    const missing = await concord('import', '/no/such/dir', '--data-dir', t.path);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
  });

  it('keeps every error to one line of at most 500 characters, whatever it echoes', async () => {
    const huge = 'x'.repeat(100_000);
    for (const args of [
      [huge],
      ['survival', `--${huge}`],
      ['agreement', '--reads', `/no/such/${huge.slice(0, 3000)}`, '--protocol', 'p.json'],
      ['recist', '--criteria', huge],
    ]) {
      const { code, stderr } = await concord(...args);
      expect(code).toBeGreaterThan(0);
      const lines = stderr.trimEnd().split('\n');
      expect(lines, args[0]!.slice(0, 20)).toHaveLength(1);
      expect(lines[0]!.length, args[0]!.slice(0, 20)).toBeLessThanOrEqual(500);
      expect(lines[0]).toMatch(/^concord/);
    }
  });

  it('prints help and exits 2 without a command', async () => {
    const { code, stdout } = await concord();
    expect(code).toBe(2);
    expect(stdout).toMatch(/Usage: concord <command>/);
    expect(stdout).toMatch(/db-check/);
  });
});
