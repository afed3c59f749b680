import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { gunzip } from '../../core/gzip/gunzip';
import type { Grid } from '../../core/imaging/grid';
import { writeNifti } from '../../core/nifti/writeNifti';
import { projectRoot } from '../../electron/platform/paths';

/** The CT the masks are placed on: 512x512x300, 0.75 x 0.75 x 1.25 mm. */
export const benchGrid: Grid = {
  dims: [512, 512, 300],
  spacingMm: [0.75, 0.75, 1.25],
  originMm: [-192, -192, -187.5],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
};

function niftiHeader(dims: [number, number, number], datatype: number, bitpix: number): Uint8Array {
  const h = writeNifti({ ...benchGrid, dims: [1, 1, 1], voxels: new Uint8Array(1) }).slice(0, 352);
  const v = new DataView(h.buffer);
  dims.forEach((d, n) => v.setInt16(42 + 2 * n, d, true));
  v.setInt16(70, datatype, true);
  v.setInt16(72, bitpix, true);
  return h;
}

/** gzip of a header and `zeros` zero bytes, streamed: the zeros are never held. */
async function bomb(path: string, header: Uint8Array, zeros: number): Promise<void> {
  const gz = zlib.createGzip({ level: 9 });
  const out = createWriteStream(path);
  gz.pipe(out);
  gz.write(header);
  const chunk = Buffer.alloc(1 << 24);
  for (let left = zeros; left > 0; left -= chunk.length)
    if (!gz.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(gz, 'drain');
  gz.end();
  await once(out, 'finish');
}

/**
 * `npm run bench -- masks`: peak memory (max RSS of a fresh process) of loading hostile and honest
 * .nii.gz masks onto a 512x512x300 CT through `loadMask`, each in its own process
 * (test/bench/maskPeak.ts); and our gunzip against zlib on the honest mask.
 */
export async function benchMasks(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-mask-bench-'));
  try {
    const files: [string, string][] = [
      ["the issue's bomb: 2 MB, declares and holds 2 GiB (1024x1024x2048 uint8)", 'bomb-2GiB.nii.gz'],
      ['declares 512x512x300 uint8 (78.6 MB), holds 2 GiB of zeros', 'bomb-78MB.nii.gz'],
      ['largest allowed: 1024x1024x599 uint8 zeros (628 MB, 8 bytes per CT voxel)', 'worst-uint8.nii.gz'],
      ['honest liver mask on the CT grid (512x512x300 uint8, ~4.6 L)', 'honest.nii.gz'],
    ];
    await bomb(join(dir, files[0]![1]), niftiHeader([1024, 1024, 2048], 2, 8), 2 ** 31);
    await bomb(join(dir, files[1]![1]), niftiHeader([512, 512, 300], 2, 8), 2 ** 31);
    await bomb(join(dir, files[2]![1]), niftiHeader([1024, 1024, 599], 2, 8), 1024 * 1024 * 599);
    const [nx, ny, nz] = benchGrid.dims;
    const liver = new Uint8Array(nx * ny * nz);
    for (let k = 0, q = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++, q++)
          if (((i - 200) / 150) ** 2 + ((j - 260) / 110) ** 2 + ((k - 150) / 95) ** 2 < 1) liver[q] = 1;
    const honest = writeNifti({ ...benchGrid, voxels: liver }, { gzip: true });
    const out = createWriteStream(join(dir, files[3]![1]));
    out.end(Buffer.from(honest));
    await once(out, 'finish');

    const peak = (file: string) => {
      const r = spawnSync(
        process.execPath,
        [join(projectRoot, 'node_modules/tsx/dist/cli.mjs'), join(projectRoot, 'test/bench/maskPeak.ts'), file],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout) as { outcome: string; seconds: number; maxRssMB: number };
    };
    const baseline = peak('-');
    console.log(
      `peak RSS of one process loading a mask onto a 512x512x300 CT (modules alone: ${baseline.maxRssMB} MB)`,
    );
    for (const [what, name] of files) {
      const r = peak(join(dir, name));
      console.log(
        `  ${what}\n    ${r.outcome}\n    ${r.seconds.toFixed(2)} s, peak RSS ${r.maxRssMB} MB (+${r.maxRssMB - baseline.maxRssMB} MB)`,
      );
    }

    const gz = new Uint8Array(readFileSync(join(dir, files[3]![1])));
    const best = (f: () => unknown) => {
      let min = Infinity;
      for (let r = 0; r < 5; r++) {
        const t = performance.now();
        f();
        min = Math.min(min, performance.now() - t);
      }
      return min / 1000;
    };
    const ours = best(() => gunzip(gz));
    const peer = best(() => zlib.gunzipSync(gz));
    console.log(
      `inflate the honest mask (${(gz.length / 1e6).toFixed(2)} MB → 78.6 MB), best of 5: core/gzip ${ours.toFixed(3)} s (CRC32 and ISIZE checked), zlib ${peer.toFixed(3)} s: ${(peer / ours).toFixed(2)}x`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
