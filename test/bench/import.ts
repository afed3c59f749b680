import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { openDatabase } from '../../electron/db/openDatabase';
import { importFolder } from '../../electron/services/dicomImport/importFolder';
import { loadSeriesVolume } from '../../electron/services/dicom/loadSeriesVolume';
import { projectRoot, sharedDataDir } from '../../electron/platform/paths';
import { writeSyntheticCtFolder } from './syntheticCtFolder';

/**
 * `npm run bench -- import`: in one run, on the same files (page cache warm for every peer),
 * our index (header-only parse + SQLite) against a dcmjs full parse, pydicom with
 * stop_before_pixels and `cat`; then a 512x512x300 series to an HU volume against pydicom +
 * numpy. Prints ratios (peer time / our time: > 1 means we are faster).
 */
const python = '/usr/bin/python3'; // Debian's python3-pydicom and python3-numpy

function seconds<T>(fn: () => T): [number, T] {
  const t0 = performance.now();
  const value = fn();
  return [(performance.now() - t0) / 1000, value];
}
async function secondsAsync<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [(performance.now() - t0) / 1000, value];
}
const best = async (runs: number, fn: () => Promise<number>) => {
  let min = Infinity;
  for (let r = 0; r < runs; r++) min = Math.min(min, await fn());
  return min;
};

export async function benchImport(): Promise<void> {
  const check = spawnSync(python, ['-c', 'import pydicom, numpy']);
  if (check.status !== 0)
    throw new Error('Needs Debian python3-pydicom and python3-numpy: apt-get install -y python3-pydicom python3-numpy');
  const work = mkdtempSync(join(tmpdir(), 'concord-bench-'));
  try {
    const template = join(sharedDataDir, 'dicom/dcmqi/segmentations/ct-3slice/01.dcm');
    const folder = join(work, 'ct');
    const [genS, files] = seconds(() => writeSyntheticCtFolder(template, folder, 7, 300));
    const listing = join(work, 'files.txt');
    writeFileSync(listing, files.join('\n'));
    const totalMb = (files.length * readFileSync(files[0]!).length) / 1e6;
    console.log(
      `generated ${files.length} CT files (512x512 int16, GE header) in ${genS.toFixed(1)} s, ${totalMb.toFixed(0)} MB`,
    );

    const catS = await best(
      3,
      async () => seconds(() => execFileSync('sh', ['-c', `xargs cat < '${listing}' > /dev/null`]))[0],
    );
    const oursS = await best(3, async () => {
      const { db } = await openDatabase(mkdtempSync(join(work, 'db-')), { appVersion: 'bench' });
      const [s, summary] = await secondsAsync(() => importFolder(db, folder));
      await db.close();
      if (summary.instances !== files.length) throw new Error(`indexed ${summary.instances} of ${files.length}`);
      return s;
    });
    const dcmjsS = await best(1, async () => {
      // dcmjs prints a line per private element it does not know (thousands here): mute it.
      const log = console.log;
      console.log = () => undefined;
      try {
        return seconds(() => {
          for (const f of files) {
            const b = readFileSync(f);
            dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
          }
        })[0];
      } finally {
        console.log = log;
      }
    });
    const pyS = await best(
      2,
      async () =>
        JSON.parse(
          execFileSync(python, [join(projectRoot, 'test/bench/pydicomIndex.py'), 'index', listing], {
            encoding: 'utf8',
          }),
        ).seconds as number,
    );

    const seriesFiles = files.slice(0, 300);
    const seriesListing = join(work, 'series.txt');
    writeFileSync(seriesListing, seriesFiles.join('\n'));
    const volOursS = await best(3, async () => (await secondsAsync(() => loadSeriesVolume(seriesFiles, 'bench')))[0]);
    const volPy = await best(
      2,
      async () =>
        JSON.parse(
          execFileSync(python, [join(projectRoot, 'test/bench/pydicomIndex.py'), 'volume', seriesListing], {
            encoding: 'utf8',
            maxBuffer: 1 << 20,
          }),
        ).seconds as number,
    );

    const row = (name: string, s: number, vs: number) =>
      console.log(`  ${name.padEnd(44)} ${s.toFixed(3).padStart(8)} s   ${(s / vs).toFixed(2).padStart(6)}x our time`);
    console.log(`\nindex ${files.length} files (best of runs):`);
    row('concord index (header parse + SQLite)', oursS, oursS);
    row('dcmjs full parse (DicomMessage.readFile)', dcmjsS, oursS);
    row('pydicom dcmread(stop_before_pixels=True)', pyS, oursS);
    row('cat of the same files', catS, oursS);
    console.log(`\nload 512x512x300 series to an HU volume:`);
    row('concord loadSeriesVolume', volOursS, volOursS);
    row('pydicom + numpy stack', volPy, volOursS);
    console.log(
      `\nratios: index vs pydicom ${(pyS / oursS).toFixed(1)}x (target >= 3), vs dcmjs ${(dcmjsS / oursS).toFixed(1)}x (target >= 5); volume vs pydicom+numpy ${(volPy / volOursS).toFixed(2)}x (target >= 1)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
