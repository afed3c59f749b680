import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../electron/db/openDatabase';
import { createServices } from '../../electron/services/createServices';
import { silentLogger } from '../../electron/services/logger';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { readHeader } from '../../electron/services/dicomImport/readHeader';
import {
  getSeries,
  listImportRuns,
  listSeries,
  loadableSeriesFiles,
  markInterruptedRuns,
} from '../../electron/db/repositories/dicomIndex';
import type { Database } from '../../electron/db/database';
import { projectRoot, sharedDataDir } from '../../electron/platform/paths';
import { Database as Db } from '../../electron/db/database';
import { loadSeriesVolume } from '../../electron/services/dicom/loadSeriesVolume';
import { T } from '../../core/dicom/tags';
import { editElement, editElements, us } from '../helpers/dicomEdit';
import { tempDatabases } from '../helpers/tempDatabases';

const ct3 = join(sharedDataDir, 'dicom/dcmqi/segmentations/ct-3slice');
const ctFiles = ['01.dcm', '02.dcm', '03.dcm'].map((f) => new Uint8Array(readFileSync(join(ct3, f))));
const { temp, freshDb } = tempDatabases();
const count = async (db: Database, sql: string, params: unknown[] = []) =>
  (await db.get<{ n: number }>(sql, params))!.n;

/** The three real GE slices in `dir`, as 01.dcm … 03.dcm. */
function writeCt3(dir: string): void {
  mkdirSync(dir, { recursive: true });
  ctFiles.forEach((b, k) => writeFileSync(join(dir, `0${k + 1}.dcm`), b));
}
/** A copy of slice 01 as a new instance (new SOP Instance UID) with `edits` applied. */
function variant(n: number, edits: [number, string | Uint8Array | null][]): Uint8Array {
  const uid = `2.25.1234567890${n}`;
  return editElements(ctFiles[0]!, [[T.SOPInstanceUID, uid], [T.MediaStorageSOPInstanceUID, uid], ...edits]);
}

describe('per-file isolation', () => {
  it('skips a file whose Instance or Series Number cannot be stored, indexes the rest and writes the skip list', async () => {
    const dir = temp();
    writeCt3(join(dir, 'good'));
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    const otherSeries = '2.25.99887766';
    const values: [string, number, string][] = [
      ['inst-1e999.dcm', T.InstanceNumber, '1e999'],
      ['inst-minus-infinity.dcm', T.InstanceNumber, '-Infinity'],
      ['inst-overlong.dcm', T.InstanceNumber, '123456789012345678901234'],
      ['series-1e999.dcm', T.SeriesNumber, '1e999'],
    ];
    values.forEach(([name, tag, value], k) =>
      writeFileSync(
        join(bad, name),
        variant(k, [
          [tag, value],
          [T.SeriesInstanceUID, otherSeries],
        ]),
      ),
    );
    const db = await freshDb();
    const s = await importFolder(db, dir);
    expect(s.state).toBe('succeeded');
    expect(s.instances).toBe(3);
    const reasons = Object.fromEntries(s.skipped.map((k) => [k.path.split('/').pop(), k.reason]));
    expect(reasons['inst-1e999.dcm']).toBe(
      'Instance Number "1e999" is not an integer from −2147483648 to 2147483647, so it cannot be indexed',
    );
    expect(reasons['inst-minus-infinity.dcm']).toMatch(/^Instance Number "-Infinity" is not an integer/);
    expect(reasons['inst-overlong.dcm']).toMatch(/^Instance Number "123456789012345678901234" is not an integer/);
    expect(reasons['series-1e999.dcm']).toMatch(/^Series Number "1e999" is not an integer/);
    expect(await count(db, 'SELECT COUNT(*) AS n FROM import_skips WHERE run_ref = ?', [s.runId])).toBe(4);
    const [series] = await listSeries(db);
    expect(series).toMatchObject({ instances: 3, loadable: true, problems: [] });
    expect(await count(db, 'SELECT COUNT(*) AS n FROM series')).toBe(1);
  });

  it('a refused image of a series makes that series not loadable, naming the file, until it is indexed', async () => {
    const dir = temp();
    writeCt3(dir);
    writeFileSync(join(dir, '04.dcm'), variant(4, [[T.InstanceNumber, '1e999']]));
    const db = await freshDb();
    await importFolder(db, dir);
    const [series] = await listSeries(db);
    expect(series!.loadable).toBe(false);
    expect(series!.problems).toEqual([
      expect.stringMatching(/^04\.dcm was not indexed: Instance Number "1e999" is not an integer/),
    ]);
    // The file fixed and imported again: the series is whole.
    writeFileSync(
      join(dir, '04.dcm'),
      variant(4, [
        [T.InstanceNumber, '4'],
        [T.ImagePositionPatient, '-235.199997\\-226.800003\\-125.690002'],
      ]),
    );
    await importFolder(db, dir);
    expect((await listSeries(db))[0]).toMatchObject({ instances: 4, loadable: true, problems: [] });
  });

  it('a row the database refuses costs only its file: the batch goes in, no empty series remains', async () => {
    const dir = temp();
    writeCt3(join(dir, 'a'));
    writeFileSync(
      join(dir, 'b.dcm'),
      variant(7, [
        [T.SeriesInstanceUID, '2.25.555'],
        [T.InstanceNumber, '7'],
      ]),
    );
    const db = await freshDb();
    // A real constraint failure inside SQLite (nothing mocked): this connection refuses one row.
    await db.exec(`CREATE TEMP TRIGGER refuse_one BEFORE INSERT ON main.instances WHEN NEW.sop_instance_uid = '2.25.12345678907'
                   BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END`);
    const s = await importFolder(db, dir);
    expect(s.added).toBe(3);
    expect(s.skipped).toEqual([
      {
        path: join(dir, 'b.dcm'),
        reason: expect.stringMatching(/^Cannot be stored in the index: .*refused by the test trigger/),
      },
    ]);
    expect(await count(db, 'SELECT COUNT(*) AS n FROM series')).toBe(1);
    expect(await count(db, "SELECT COUNT(*) AS n FROM import_skips WHERE file_path LIKE '%b.dcm'")).toBe(1);
  });

  it('marks a run whose process died as interrupted at the next start, and lists the import history', async () => {
    const dir = temp();
    const db = await freshDb(dir);
    // A real process that has exited: its pid is not alive any more.
    const deadPid = Number(
      execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString(),
    );
    await db.run(
      "INSERT INTO import_runs (folder, started_at, state, files_seen, owner_pid, owner_host) VALUES ('/data/exams', '2025-01-01T00:00:00Z', 'running', 17, ?, ?)",
      [deadPid, (await import('node:os')).hostname()],
    );
    // A run of a live process (this one's parent, the test runner) is left alone.
    await db.run(
      "INSERT INTO import_runs (folder, started_at, state, owner_pid, owner_host) VALUES ('/data/live', '2025-01-01T00:00:00Z', 'running', ?, ?)",
      [process.ppid, (await import('node:os')).hostname()],
    );
    expect(await markInterruptedRuns(db)).toHaveLength(1);
    const runs = await listImportRuns(db);
    expect(runs.map((r) => [r.folder, r.state, r.filesSeen])).toEqual([
      ['/data/live', 'running', 0],
      ['/data/exams', 'interrupted', 17],
    ]);
    expect(runs[1]!.finishedAt).not.toBeNull();
  });
});

describe('identity', () => {
  it.each([
    [
      'another patient',
      [T.PatientID, 'SOMEONE-ELSE'] as [number, string],
      /already indexed under patient ID "[^"]*" \(this file: "SOMEONE-ELSE"\)/,
    ],
    [
      'another study',
      [T.StudyInstanceUID, '2.25.424242'] as [number, string],
      /already indexed under study [\d.]+ \(this file: 2\.25\.424242\)/,
    ],
    [
      'another Frame of Reference',
      [T.FrameOfReferenceUID, '2.25.777'] as [number, string],
      /already indexed under Frame of Reference [\d.]+ \(this file: 2\.25\.777\)/,
    ],
    // The fuzz campaign's find: an MR slice at the next position joined the CT series unnoticed.
    ['another modality', [T.Modality, 'MR'] as [number, string], /already indexed under modality CT \(this file: MR\)/],
  ])('refuses a file of %s that carries an indexed Series Instance UID, naming both', async (_what, edit, reason) => {
    const dir = temp();
    writeCt3(join(dir, 'exam'));
    const db = await freshDb();
    await importFolder(db, join(dir, 'exam'));
    writeFileSync(join(dir, 'intruder.dcm'), variant(1, [edit, [T.InstanceNumber, '4']]));
    const s = await importFolder(db, dir);
    expect(s.skipped).toEqual([{ path: join(dir, 'intruder.dcm'), reason: expect.stringMatching(reason) }]);
    expect((await listSeries(db))[0]).toMatchObject({ instances: 3, loadable: true });
  });

  it.each([
    ['Series', T.SeriesInstanceUID, '1.2.abc.588801644'],
    ['Study', T.StudyInstanceUID, '1.2.840 .10008'],
    ['SOP', T.SOPInstanceUID, `1.2.${'3'.repeat(70)}`],
  ])(
    'skips a file whose %s Instance UID is not a DICOM UID, naming it (the contract could never name it)',
    async (what, tag, uid) => {
      const dir = temp();
      writeCt3(join(dir, 'exam'));
      writeFileSync(
        join(dir, 'bad-uid.dcm'),
        variant(2, [
          [tag, uid],
          [T.InstanceNumber, '4'],
        ]),
      );
      const db = await freshDb();
      const s = await importFolder(db, dir);
      expect(s.skipped).toEqual([
        {
          path: join(dir, 'bad-uid.dcm'),
          reason: expect.stringMatching(
            new RegExp(`^${what} Instance UID ".*" is not a DICOM UID \\(digits and dots, at most 64 characters\\)`),
          ),
        },
      ]);
      expect((await listSeries(db)).map((x) => [x.instances, x.loadable])).toEqual([[3, true]]);
    },
  );

  it('names a slice 500 mm off the series axis as the problem; loading says why', async () => {
    const dir = temp();
    writeCt3(dir);
    writeFileSync(
      join(dir, 'stray.dcm'),
      variant(2, [
        [T.ImagePositionPatient, '264.800003\\-226.800003\\-125.690002'],
        [T.InstanceNumber, '4'],
      ]),
    );
    const db = await freshDb();
    await importFolder(db, dir);
    const [series] = await listSeries(db);
    expect(series).toMatchObject({ instances: 4, loadable: false });
    expect(series!.problems).toEqual([
      'stray.dcm is 500 mm off the series axis (slices must lie along the slice normal; a stray slice or a tilted gantry).',
    ]);
    await expect(loadableSeriesFiles(db, series!.seriesInstanceUid)).rejects.toMatchObject({
      code: 'DICOM',
      message: expect.stringContaining('stray.dcm is 500 mm off the series axis'),
    });
  });

  it('a SOP Instance UID reused with different content is a named conflict: the first file wins, no empty series', async () => {
    const dir = temp();
    writeCt3(join(dir, 'exam'));
    const db = await freshDb();
    await importFolder(db, join(dir, 'exam'));
    // Same SOP Instance UID as 01.dcm, but another series (and description).
    writeFileSync(
      join(dir, 'reuse.dcm'),
      editElements(ctFiles[0]!, [
        [T.SeriesInstanceUID, '2.25.31337'],
        [T.SeriesDescription, 'Other'],
      ]),
    );
    const s = await importFolder(db, dir);
    expect(s.alreadyIndexed).toBe(3);
    expect(s.skipped).toEqual([
      {
        path: join(dir, 'reuse.dcm'),
        reason: expect.stringMatching(
          new RegExp(
            `^Conflict: SOP Instance UID [\\d.]+ is already indexed from ${join(dir, 'exam', '01.dcm')} with different content`,
          ),
        ),
      },
    ]);
    expect(await count(db, 'SELECT COUNT(*) AS n FROM series')).toBe(1);
    expect(
      await count(
        db,
        'SELECT COUNT(*) AS n FROM series s WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.series_ref = s.id)',
      ),
    ).toBe(0);
  });

  it('in one folder, an identical copy is a duplicate and a different file with the same SOP UID a conflict', async () => {
    const dir = temp();
    writeCt3(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'b', 'copy.dcm'), ctFiles[1]!);
    writeFileSync(join(dir, 'b', 'other.dcm'), editElement(ctFiles[2]!, T.PatientName, 'Someone^Else'));
    const db = await freshDb();
    const s = await importFolder(db, dir);
    const reasons = Object.fromEntries(s.skipped.map((k) => [k.path.split('/').pop(), k.reason]));
    expect(reasons['copy.dcm']).toMatch(/^Duplicate of .*\/a\/02\.dcm \(same SOP Instance UID/);
    expect(reasons['other.dcm']).toMatch(
      /^Conflict: SOP Instance UID [\d.]+ is also in .*\/a\/03\.dcm with different content; the first file is kept$/,
    );
  });
});

describe('header-visible defects are found at import', () => {
  const cases: [string, [number, string | Uint8Array | null][], RegExp][] = [
    ['rows-0', [[T.Rows, us(0)]], /Rows 0 is not a positive integer/],
    ['rows-20000', [[T.Rows, us(20000)]], /Rows 20000 x Columns 512 is larger than the 16384 x 16384 pixels per frame/],
    ['bits-12', [[T.BitsAllocated, us(12)]], /Bits Allocated 12 is not supported/],
    ['bits-64', [[T.BitsAllocated, us(64)]], /Bits Allocated 64 is not supported/],
    ['no-position', [[T.ImagePositionPatient, null]], /Image Position \(Patient\) is missing/],
    ['nan-position', [[T.ImagePositionPatient, 'NaN\\0\\0']], /Image Position \(Patient\) should be 3 numbers/],
    [
      'short-pixels',
      [[T.Rows, us(600)]],
      /Pixel Data holds 524288 bytes but 1 frame\(s\) of 512x600x1 at 16 bits take 614400/,
    ],
    ['intercept-1.2.3', [[T.RescaleIntercept, '1.2.3']], /Rescale Intercept "1\.2\.3" is not a number/],
    ['intercept-plus', [[T.RescaleIntercept, '+']], /Rescale Intercept "\+" is not a number/],
    ['intercept-empty', [[T.RescaleIntercept, '']], /Rescale Intercept "" is not a number/],
    ['slope-1e-320', [[T.RescaleSlope, '1e-320']], /Rescale Slope 1e-320 is too close to 0/],
    // The 5,000-file fuzz campaign's find: one slice without its intercept read as 0 (+1024 HU).
    ['no-intercept', [[T.RescaleIntercept, null]], /Rescale Intercept is missing; a CT image must carry it/],
    ['no-slope', [[T.RescaleSlope, null]], /Rescale Slope is missing; a CT image must carry it/],
    [
      'photometric-rgb',
      [[T.PhotometricInterpretation, 'RGB']],
      /Photometric Interpretation RGB needs 3 samples per pixel, not 1/,
    ],
    [
      'unknown-codec',
      [[T.TransferSyntaxUID, '1.2.840.10008.1.2.4.201']],
      /Transfer syntax .* \(1\.2\.840\.10008\.1\.2\.4\.201\) cannot be decoded by Concord/,
    ],
  ];
  it.each(cases)('%s: indexed, its series not loadable, the problem naming the file', async (name, edits, problem) => {
    const dir = temp();
    writeCt3(dir);
    writeFileSync(
      join(dir, `${name}.dcm`),
      variant(9, [
        [T.InstanceNumber, '4'],
        [T.ImagePositionPatient, '-235.199997\\-226.800003\\-125.690002'],
        ...edits,
      ]),
    );
    const db = await freshDb();
    const s = await importFolder(db, dir);
    expect(s.skipped).toEqual([]);
    const [series] = await listSeries(db);
    expect(series!.loadable).toBe(false);
    expect(series!.problems).toContainEqual(
      expect.stringMatching(new RegExp(`^${name.replace(/[.+]/g, '\\$&')}\\.dcm: .*${problem.source}`)),
    );
    for (const p of series!.problems) expect(p).toMatch(new RegExp(`^${name.replace(/[.+]/g, '\\$&')}\\.dcm: `));
    await expect(loadableSeriesFiles(db, series!.seriesInstanceUid)).rejects.toMatchObject({ code: 'DICOM' });
  });

  it('sees an RLE file relabelled JPEG lossless from its first pixel bytes (the fuzz find it failed only at load)', async () => {
    const dir = temp();
    const rle = new Uint8Array(readFileSync(join(sharedDataDir, 'dicom/pydicom-test-files/MR_small_RLE.dcm')));
    writeFileSync(join(dir, 'relabelled.dcm'), editElement(rle, T.TransferSyntaxUID, '1.2.840.10008.1.2.4.70'));
    const db = await freshDb();
    expect((await importFolder(db, dir)).skipped).toEqual([]);
    const [series] = await listSeries(db);
    expect(series).toMatchObject({
      loadable: false,
      problems: [
        expect.stringMatching(
          /^relabelled\.dcm: Pixel data: the first fragment does not begin as a JPEG codestream \(SOI, FF D8\) but with 02 00 00 00, so it is not JPEG Lossless SV1/,
        ),
      ],
    });
  });

  it('the untouched corpus series stay loadable (no false alarms on real files)', async () => {
    const db = await freshDb();
    await importFolder(db, join(sharedDataDir, 'dicom/dcmqi'));
    const ct = (await listSeries(db)).filter((s) => s.modality === 'CT');
    expect(ct.length).toBeGreaterThan(0);
    for (const s of ct) expect(s.problems, s.description).toEqual([]);
  });
});

describe('bounded reads', () => {
  /** Bytes of the data set after the file meta group (offset of the first non-0002 element). */
  const datasetStart = (b: Uint8Array) => 132 + 12 + new DataView(b.buffer, b.byteOffset).getUint32(140, true);

  it('skips a 512 MiB private element unread and indexes the image; peak memory stays low', async () => {
    const dir = temp();
    writeCt3(dir);
    // 01.dcm with a private OB-like element of 512 MiB (implicit VR: tag, 4-byte length) spliced
    // in right after the file meta: written sparse, so the test does not fill the disk.
    const src = variant(5, [
      [T.InstanceNumber, '4'],
      [T.ImagePositionPatient, '-235.199997\\-226.800003\\-125.690002'],
    ]);
    const at = datasetStart(src);
    const blob = 512 * 1024 * 1024;
    const head = new Uint8Array(8);
    new DataView(head.buffer).setUint16(0, 0x0009, true);
    new DataView(head.buffer).setUint16(2, 0x1010, true);
    new DataView(head.buffer).setUint32(4, blob, true);
    const path = join(dir, 'huge-private.dcm');
    writeFileSync(path, Buffer.concat([src.subarray(0, at), head]));
    execFileSync('truncate', ['-s', String(at + 8 + blob), path]);
    const tail = src.subarray(at);
    const fd = (await import('node:fs')).openSync(path, 'r+');
    (await import('node:fs')).writeSync(fd, tail, 0, tail.length, at + 8 + blob);
    (await import('node:fs')).closeSync(fd);

    const before = process.memoryUsage().rss;
    const db = await freshDb();
    const s = await importFolder(db, dir);
    const grew = process.memoryUsage().rss - before;
    expect(s.skipped).toEqual([]);
    expect(s.instances).toBe(4);
    expect(grew).toBeLessThan(100 * 1024 * 1024);
  });

  it('a small file declaring a 512 MiB element is a truncated file, read no further', () => {
    const dir = temp();
    const src = ctFiles[0]!;
    const at = datasetStart(src);
    const head = new Uint8Array(8);
    new DataView(head.buffer).setUint16(0, 0x0009, true);
    new DataView(head.buffer).setUint16(2, 0x1010, true);
    new DataView(head.buffer).setUint32(4, 512 * 1024 * 1024, true);
    const path = join(dir, 'liar.dcm');
    writeFileSync(path, Buffer.concat([src.subarray(0, at), head, Buffer.alloc(40)]));
    const read = readHeader(path, dir);
    expect(read.verdict).toEqual({
      kind: 'skip',
      reason: expect.stringMatching(
        /^Truncated DICOM file: .*inside element \(0009,1010\) \(declared length 536870912\)/,
      ),
    });
  });

  it('refuses a deflated file whose header inflates past 8 MiB, without inflating it all', async () => {
    const { deflateSync } = await import('fflate');
    const dir = temp();
    // A real deflated file from the corpus: its meta header, then a data set of private OB
    // elements of zeros (deflating ~1000:1) before any pixel data.
    const real = new Uint8Array(readFileSync(join(sharedDataDir, 'dicom/pydicom-test-files/image_dfl.dcm')));
    const meta = real.subarray(0, datasetStart(real));
    const bomb = (elements: number, bytesEach: number) => {
      const body = new Uint8Array(elements * (12 + bytesEach));
      const v = new DataView(body.buffer);
      for (let k = 0; k < elements; k++) {
        const at = k * (12 + bytesEach);
        v.setUint16(at, 0x0009, true);
        v.setUint16(at + 2, 0x1010 + k, true);
        body[at + 4] = 0x4f; // 'O'
        body[at + 5] = 0x42; // 'B'
        v.setUint32(at + 8, bytesEach, true);
      }
      return Buffer.concat([meta, deflateSync(body, { level: 1 })]);
    };
    // One element of 40 MiB: refused as soon as its length is read; twelve of 1 MiB: refused at
    // the one that would end past 8 MiB, without inflating it.
    writeFileSync(join(dir, 'one-big.dcm'), bomb(1, 40 * 1024 * 1024));
    writeFileSync(join(dir, 'many.dcm'), bomb(12, 1024 * 1024));
    const before = process.memoryUsage().rss;
    const big = readHeader(join(dir, 'one-big.dcm'), dir);
    const many = readHeader(join(dir, 'many.dcm'), dir);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
    expect(big.verdict).toEqual({
      kind: 'skip',
      reason: expect.stringMatching(
        /^Unsupported DICOM file: The deflated header is larger than 8 MiB .*element \(0009,1010\) of 41943040 bytes ends past it/,
      ),
    });
    expect(many.verdict).toEqual({
      kind: 'skip',
      reason: expect.stringMatching(
        /^Unsupported DICOM file: The deflated header is larger than 8 MiB .*element \(0009,10[0-9a-f]{2}\) of 1048576 bytes ends past it/,
      ),
    });
  });
});

describe('opening files safely', () => {
  it('does not follow a symbolic link, even one swapped in after the listing', async () => {
    const dir = temp();
    const outside = temp();
    writeFileSync(join(outside, 'secret.dcm'), ctFiles[0]!);
    writeCt3(join(dir, 'exam'));
    symlinkSync(join(outside, 'secret.dcm'), join(dir, 'link.dcm'));
    const db = await freshDb();
    const s = await importFolder(db, dir);
    expect(s.skipped).toEqual([
      {
        path: join(dir, 'link.dcm'),
        reason: 'Symbolic link: not followed (a link may point outside the chosen folder)',
      },
    ]);
    // The race: the listing saw a regular file, which is then replaced by a link.
    unlinkSync(join(dir, 'exam', '03.dcm'));
    symlinkSync(join(outside, 'secret.dcm'), join(dir, 'exam', '03.dcm'));
    expect(readHeader(join(dir, 'exam', '03.dcm'), dir).verdict).toEqual({
      kind: 'skip',
      reason: 'Symbolic link: not followed (a link may point outside the chosen folder)',
    });
    // A folder on the way swapped for a link: the open file's real path is outside the root.
    mkdirSync(join(outside, 'sub'));
    writeFileSync(join(outside, 'sub', 'x.dcm'), ctFiles[0]!);
    symlinkSync(join(outside, 'sub'), join(dir, 'sub'));
    expect(readHeader(join(dir, 'sub', 'x.dcm'), dir).verdict).toEqual({
      kind: 'skip',
      reason: `Outside the chosen folder: the file resolves to ${join(outside, 'sub', 'x.dcm')}`,
    });
  });

  it('never blocks on a FIFO', async () => {
    const dir = temp();
    writeCt3(dir);
    execFileSync('mkfifo', [join(dir, 'pipe.dcm')]);
    expect(readHeader(join(dir, 'pipe.dcm'), dir).verdict).toEqual({
      kind: 'skip',
      reason: 'Not a regular file (a FIFO)',
    });
    const db = await freshDb();
    const s = await importFolder(db, dir);
    expect(s.instances).toBe(3);
    expect(s.skipped).toEqual([{ path: join(dir, 'pipe.dcm'), reason: 'Not a regular file (a FIFO)' }]);
    expect(readdirSync(dir)).toContain('pipe.dcm');
  });
});

describe('series summaries', () => {
  it('getSeries and listSeries agree on loadable and problems', async () => {
    const dir = temp();
    writeCt3(dir);
    const db = await freshDb();
    await importFolder(db, dir);
    const [listed] = await listSeries(db);
    expect(await getSeries(db, listed!.seriesInstanceUid)).toEqual(listed);
    expect(listed).toMatchObject({ loadable: true, problems: [] });
  });
});

describe('pixel values', () => {
  it('honours a per-slice rescale: one slice with intercept −1000 (others −1024) reads 24 HU higher, the others unchanged', async () => {
    const dir = temp();
    writeCt3(dir);
    const original = await loadSeriesVolume(
      ['01.dcm', '02.dcm', '03.dcm'].map((f) => join(ct3, f)),
      'original',
    );
    writeFileSync(join(dir, '02.dcm'), editElement(ctFiles[1]!, T.RescaleIntercept, '-1000'));
    const shifted = await loadSeriesVolume(
      ['01.dcm', '02.dcm', '03.dcm'].map((f) => join(dir, f)),
      'shifted',
    );
    // z ascending: 03.dcm (−128.69), 02.dcm (−127.69), 01.dcm (−126.69): 02.dcm is slice k = 1.
    const n = 512 * 512;
    const a = original.volume.voxels;
    const b = shifted.volume.voxels;
    let slice1 = 0;
    let others = 0;
    for (let i = 0; i < n; i++) {
      if (b[n + i]! - a[n + i]! !== 24) slice1++;
      if (b[i] !== a[i] || b[2 * n + i] !== a[2 * n + i]) others++;
    }
    expect([slice1, others]).toEqual([0, 0]);
  });

  it('refuses at load a rescale that cannot be read (sliceHeader), naming the file', async () => {
    const dir = temp();
    writeCt3(dir);
    writeFileSync(join(dir, '02.dcm'), editElement(ctFiles[1]!, T.RescaleIntercept, '1.2.3'));
    await expect(
      loadSeriesVolume(
        ['01.dcm', '02.dcm', '03.dcm'].map((f) => join(dir, f)),
        'bad',
      ),
    ).rejects.toMatchObject({
      code: 'DICOM',
      message: 'Series "bad": file 02.dcm: Rescale Intercept "1.2.3" is not a number.',
    });
  });
});

describe('a killed import', () => {
  it('keeps the skips and counts of every committed batch and is interrupted at the next start', async () => {
    const dir = temp();
    const data = temp();
    writeCt3(join(dir, 'exam'));
    // Enough files that are not DICOM for several batches of skips (500 each).
    mkdirSync(join(dir, 'notes'));
    for (let k = 0; k < 20000; k++)
      writeFileSync(join(dir, 'notes', `${String(k).padStart(5, '0')}.txt`), `note ${k}\n`);
    await (await openDatabase(data, { appVersion: 'test' })).db.close();
    const child = spawn(
      process.execPath,
      [join(projectRoot, 'bin', 'concord.mjs'), 'import', dir, '--data-dir', data, '--json'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    // Watch the database from outside; kill the importer (SIGKILL: no cleanup at all) as soon as
    // a first batch is committed.
    const watcher = await Db.open(join(data, 'concord.sqlite'), 'readonly');
    let committed = 0;
    for (let i = 0; i < 3000 && committed === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      committed = (await watcher.get<{ n: number }>('SELECT COUNT(*) AS n FROM import_skips').catch(() => ({ n: 0 })))!
        .n;
    }
    const stateWhenKilled = (await watcher.get<{ state: string }>('SELECT state FROM import_runs'))?.state;
    child.kill('SIGKILL');
    await exited;
    await watcher.close();
    expect(committed).toBeGreaterThanOrEqual(500);
    expect(stateWhenKilled).toBe('running');

    // The next start of the app marks it.
    const services = await createServices({ dataDir: data, shell: 'host', logger: silentLogger });
    const atStart = await services.context.db.get<{ state: string }>('SELECT state FROM import_runs');
    const runs = await services.dispatch('listImportRuns', undefined);
    await services.close();
    expect(atStart).toEqual({ state: 'interrupted' });
    expect(runs).toMatchObject({ ok: true, value: [{ folder: dir, state: 'interrupted' }] });
    const db = await freshDb(data);
    const [run] = await listImportRuns(db);
    expect(run).toMatchObject({ folder: dir, state: 'interrupted' });
    expect(run!.skipped).toBeGreaterThanOrEqual(500);
    expect(await count(db, 'SELECT COUNT(*) AS n FROM import_skips WHERE run_ref = ?', [run!.runId])).toBe(
      run!.skipped,
    );
    expect((await db.get<{ reason: string }>('SELECT reason FROM import_skips LIMIT 1'))!.reason).toBe(
      'Too short to be DICOM.',
    );
  }, 120_000);
});
