import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { listSeries } from '../../electron/db/repositories/dicomIndex';
import type { Database } from '../../electron/db/database';
import { sharedDataDir } from '../../electron/platform/paths';
import { AppException } from '../../core/ipc/result';
import { tempDatabases } from '../helpers/tempDatabases';

const dicom = join(sharedDataDir, 'dicom');
const { temp, freshDb } = tempDatabases();
const count = async (db: Database, table: string) =>
  (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;

describe('importFolder on the real files in ../shared/data', () => {
  it('indexes the GE abdominal CT with its geometry from positions, not SliceThickness', async () => {
    const db = await freshDb();
    const summary = await importFolder(db, join(dicom, 'dcmqi/segmentations/ct-3slice'));
    expect(summary).toMatchObject({ patients: 1, studies: 1, series: 1, instances: 3, added: 3, skipped: [] });
    const [series] = await listSeries(db);
    // data/README.md: 512x512, 0.8105 mm pixels, slices 1 mm apart although SliceThickness says 1.25
    expect(series!.modality).toBe('CT');
    expect(series!.dims).toEqual([512, 512, 3]);
    expect(series!.spacingMm![0]).toBeCloseTo(0.8105, 3);
    expect(series!.spacingMm![1]).toBeCloseTo(0.8105, 3);
    expect(series!.spacingMm![2]).toBeCloseTo(1, 6);
  });

  it('imports the whole messy corpus without throwing: every file is indexed or skipped with a reason', async () => {
    const db = await freshDb();
    const s = await importFolder(db, dicom);
    expect(s.state).toBe('succeeded');
    expect(s.instances + s.skipped.length).toBe(s.filesSeen);
    expect(s.instances).toBe(await count(db, 'instances'));
    for (const k of s.skipped) expect(k.reason.length, k.path).toBeGreaterThan(10);
    const reasonOf = (suffix: string) => s.skipped.find((k) => k.path.endsWith(suffix))?.reason;
    expect(reasonOf('dcmqi/LICENSE.txt')).toMatch(/^Not a DICOM file/);
    expect(reasonOf('liver_seg.nrrd')).toMatch(/^Not a DICOM file/);
    expect(reasonOf('MR_truncated.dcm')).toMatch(/^Incomplete file: pixel data declares 8192 bytes/);
    expect(reasonOf('rtplan_truncated.dcm')).toMatch(/^Truncated DICOM file: .*\(300A,00B0\)/);
    expect(reasonOf('dicomdirtests/DICOMDIR')).toMatch(/^DICOMDIR index file/);
    expect(reasonOf('sr-example/sr.dcm')).toMatch(/^Not an image: Comprehensive SR/);
    expect(reasonOf('rtplan.dcm')).toMatch(/^Not an image: RT Plan/);
    // The same SOP instance in several encodings (pydicom's MR_small_*) is indexed once.
    expect(
      s.skipped.filter((k) => /MR_small/.test(k.path) && /^Duplicate/.test(k.reason)).length,
    ).toBeGreaterThanOrEqual(5);
    // Every transfer syntax of the corpus got indexed somewhere: the index reads headers only.
    const syntaxes = (await db.all<{ t: string }>('SELECT DISTINCT transfer_syntax_uid AS t FROM instances')).map(
      (r) => r.t,
    );
    for (const uid of [
      '1.2.840.10008.1.2',
      '1.2.840.10008.1.2.1',
      '1.2.840.10008.1.2.2',
      '1.2.840.10008.1.2.1.99',
      '1.2.840.10008.1.2.5',
      '1.2.840.10008.1.2.4.70',
      '1.2.840.10008.1.2.4.90',
      '1.2.840.10008.1.2.4.91',
      '1.2.840.10008.1.2.4.50',
    ]) {
      expect(syntaxes, uid).toContain(uid);
    }
    const runs = await db.all<{ state: string; files_skipped: number }>('SELECT state, files_skipped FROM import_runs');
    expect(runs).toEqual([{ state: 'succeeded', files_skipped: s.skipped.length }]);
    expect(await count(db, 'import_skips')).toBe(s.skipped.length);
  });

  it('adds nothing twice when the same folder is imported again', async () => {
    const db = await freshDb();
    const first = await importFolder(db, dicom);
    const tables = ['patients', 'studies', 'series', 'instances'];
    const before = await Promise.all(tables.map((t) => count(db, t)));
    const second = await importFolder(db, dicom);
    expect(second.added).toBe(0);
    expect(second.alreadyIndexed).toBe(first.added);
    expect(second.instances).toBe(first.instances);
    expect(await Promise.all(tables.map((t) => count(db, t)))).toEqual(before);
  });

  it('reports a missing folder or a file given as folder clearly', async () => {
    const db = await freshDb();
    await expect(importFolder(db, '/nonexistent/concord')).rejects.toThrow(/does not exist/);
    const err = await importFolder(db, join(dicom, 'dcmqi/segmentations/liver.dcm')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppException);
    expect((err as AppException).message).toMatch(/is a file, not a folder/);
  });

  it('can be cancelled and keeps what it indexed so far', async () => {
    const db = await freshDb();
    const controller = new AbortController();
    const s = await importFolder(db, dicom, {
      signal: controller.signal,
      batchSize: 5,
      // Progress is throttled in time, but the first report comes with the first file.
      onProgress: (p) => {
        if (p.filesSeen >= 1) controller.abort();
      },
    });
    expect(s.state).toBe('cancelled');
    expect(s.filesSeen).toBeLessThan(216);
    expect(await count(db, 'instances')).toBe(s.added);
    expect((await db.get<{ state: string }>('SELECT state FROM import_runs'))!.state).toBe('cancelled');
  });
});

/** Deterministic PRNG (mulberry32) so the fuzzed corpus is the same on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('importFolder on a corrupt corpus made by mutating valid files', () => {
  const goodFiles = [
    'dcmqi/segmentations/ct-3slice/01.dcm', // implicit VR LE
    'pydicom-test-files/CT_small.dcm', // explicit VR LE
    'pydicom-test-files/MR_small_bigendian.dcm', // explicit VR BE
    'pydicom-test-files/JPEG2000.dcm', // encapsulated
    'pydicom-data/693_UNCI.dcm',
  ];

  it('skips every broken file with a reason and imports every good one', async () => {
    const dir = temp();
    const good = join(dir, 'good');
    const bad = join(dir, 'bad');
    mkdirSync(good);
    mkdirSync(bad);
    const mutations: Record<string, (b: Buffer) => Buffer> = {
      'cut-in-header': (b) => b.subarray(0, 300),
      'cut-in-pixels': (b) => b.subarray(0, Math.floor(b.length * 0.6)), // pixel data is most of each file
      'huge-length': (b) => {
        const c = Buffer.from(b);
        // The first data element after the file meta (or at 0): overwrite its length.
        const start = c.toString('latin1', 128, 132) === 'DICM' ? 132 + 12 + c.readUInt32LE(140) : 0;
        const explicit = /^[A-Z]{2}$/.test(c.toString('latin1', start + 4, start + 6));
        if (explicit) c.writeUInt16LE(0xfff0, start + 6);
        else c.writeUInt32LE(0x7ffffff0, start + 4);
        return c;
      },
      'bad-vr': (b) => {
        const c = Buffer.from(b);
        const start = c.toString('latin1', 128, 132) === 'DICM' ? 132 + 12 + c.readUInt32LE(140) : -1;
        if (start > 0) c.write('\x01\x02', start + 4, 'latin1');
        else c.write('\x01\x02\x03\x04\x05\x06\x07\x08', 0, 'latin1');
        return c;
      },
      'random-bytes': (b) => {
        const r = prng(b.length);
        return Buffer.from(Array.from({ length: 2048 }, () => Math.floor(r() * 256)));
      },
      empty: () => Buffer.alloc(0),
    };
    const expectedBad: string[] = [];
    for (const rel of goodFiles) {
      const src = join(dicom, rel);
      copyFileSync(src, join(good, basename(rel)));
      for (const [name, mutate] of Object.entries(mutations)) {
        if (name === 'cut-in-pixels' && rel.includes('JPEG2000')) continue; // encapsulated: only a full read can tell
        const target = join(bad, `${name}-${basename(rel)}`);
        writeFileSync(target, mutate(readFileSync(src)));
        expectedBad.push(target);
      }
    }
    const db = await freshDb();
    const s = await importFolder(db, dir);
    expect(s.instances).toBe(goodFiles.length);
    const indexedPaths = (await db.all<{ file_path: string }>('SELECT file_path FROM instances'))
      .map((r) => r.file_path)
      .sort();
    expect(indexedPaths).toEqual(goodFiles.map((f) => join(good, basename(f))).sort());
    expect(s.skipped.map((k) => k.path).sort()).toEqual(expectedBad.sort());
    for (const k of s.skipped)
      expect(k.reason).toMatch(/^(Not a DICOM file|Truncated|Corrupt|Incomplete|Empty file|Invalid VR|Unsupported)/);
  });

  it('never throws on randomly damaged headers (seeded fuzz, 60 files)', async () => {
    const dir = temp();
    const r = prng(2026);
    const sources = goodFiles.map((f) => readFileSync(join(dicom, f)));
    for (let n = 0; n < 60; n++) {
      const src = Buffer.from(sources[n % sources.length]!);
      const flips = 1 + Math.floor(r() * 8);
      for (let k = 0; k < flips; k++) src[128 + Math.floor(r() * 1500)] = Math.floor(r() * 256);
      writeFileSync(join(dir, `fuzz-${n}.dcm`), src);
    }
    const db = await freshDb();
    const s = await importFolder(db, dir);
    expect(s.filesSeen).toBe(60);
    expect(s.instances + s.skipped.length).toBe(60);
    for (const k of s.skipped) expect(k.reason.length).toBeGreaterThan(5);
  });
});
