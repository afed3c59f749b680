import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLetbField, countAbove } from '../../core/letb/letbField';
import { evaluatePlacement } from '../../core/letb/evaluatePlacement';
import { sphereRadiusMm } from '../../core/letb/roi';
import { ijkToLps } from '../../core/imaging/coordinates';
import { createSeededRandom } from '../../core/random/seededRandom';
import type { Volume } from '../../core/imaging/volume';
import { projectRoot } from '../../electron/platform/paths';
import { benchSurface } from './surface';

/**
 * `npm run bench -- letb`: on a 512x512x300 precontrast/arterial/liver-mask set, in one run:
 * (1) the full LETB pass (subtraction, liver values, one 1 mL ROI, threshold, count) against
 * numpy doing the same; (2) re-evaluating LETB after moving the ROI (target < 5 ms); (3) the 3D
 * liver surface against vtk.js marching cubes (benchSurface). Prints ratios.
 */
const python = '/usr/bin/python3';

function phantom(): {
  arterial: Volume<Int16Array>;
  pre: Volume<Int16Array>;
  mask: Volume<Uint8Array>;
  roiIjk: [number, number, number];
} {
  const dims: [number, number, number] = [512, 512, 300];
  const spacingMm: [number, number, number] = [0.75, 0.75, 1.25];
  const n = dims[0] * dims[1] * dims[2];
  const rng = createSeededRandom(42);
  const noise = Float32Array.from({ length: 65536 }, () => rng.normal() * 10);
  const arterial = new Int16Array(n);
  const pre = new Int16Array(n);
  const mask = new Uint8Array(n);
  const [cx, cy, cz] = [230, 250, 150];
  let q = 0;
  for (let k = 0; k < dims[2]; k++) {
    for (let j = 0; j < dims[1]; j++) {
      for (let i = 0; i < dims[0]; i++, q++) {
        const x = (i - cx) * spacingMm[0];
        const y = (j - cy) * spacingMm[1];
        const z = (k - cz) * spacingMm[2];
        const inLiver = (x / 110) ** 2 + (y / 85) ** 2 + (z / 80) ** 2 <= 1; // ≈ 3.1 L ellipsoid
        const inTumour = (x - 40) ** 2 + (y + 10) ** 2 + z ** 2 <= 30 ** 2;
        const base = inLiver ? (inTumour ? 150 : 70) : -100;
        arterial[q] = base + Math.round(noise[(q * 7919) & 65535]!);
        pre[q] = (inLiver ? 55 : -100) + Math.round(noise[(q * 104729 + 13) & 65535]!);
        mask[q] = inLiver ? 1 : 0;
      }
    }
  }
  const geometry = {
    dims,
    spacingMm,
    originMm: [0, 0, 0] as [number, number, number],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as Volume['direction'],
  };
  return {
    arterial: { ...geometry, voxels: arterial },
    pre: { ...geometry, voxels: pre },
    mask: { ...geometry, voxels: mask },
    roiIjk: [cx - 80, cy, cz],
  };
}

export async function benchLetb(): Promise<void> {
  if (spawnSync(python, ['-c', 'import numpy']).status !== 0)
    throw new Error('Needs Debian python3-numpy: apt-get install -y python3-numpy');
  const work = mkdtempSync(join(tmpdir(), 'concord-letb-bench-'));
  try {
    const { arterial, pre, mask, roiIjk } = phantom();
    writeFileSync(join(work, 'arterial.raw'), arterial.voxels);
    writeFileSync(join(work, 'pre.raw'), pre.voxels);
    writeFileSync(join(work, 'mask.raw'), mask.voxels);
    const roi = { centerLps: ijkToLps(arterial, roiIjk), volumeMl: 1, shape: 'sphere' as const };

    let best = Infinity;
    let enhancing = 0;
    let field = buildLetbField(arterial, pre, mask);
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      field = buildLetbField(arterial, pre, mask);
      enhancing = evaluatePlacement(field, roi).enhancingVoxels;
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    const py = JSON.parse(
      execFileSync(
        python,
        [
          join(projectRoot, 'test/bench/letbNumpy.py'),
          work,
          ...arterial.dims.map(String),
          ...arterial.spacingMm.map(String),
          ...roiIjk.map(String),
          String(sphereRadiusMm(1)),
        ],
        { encoding: 'utf8' },
      ),
    ) as { seconds: number; enhancing: number; threshold: number };
    if (py.enhancing !== enhancing) console.log(`  note: numpy counted ${py.enhancing}, Concord ${enhancing}`);

    // Moving the ROI: evaluate at 200 positions along a path through the parenchyma (after one
    // warm-up evaluation, as the first drag step of a session would be).
    evaluatePlacement(field, roi);
    const times: number[] = [];
    for (let s = 0; s < 200; s++) {
      const centre = ijkToLps(arterial, [
        roiIjk[0] + (s % 40) - 20,
        roiIjk[1] + ((s * 3) % 30) - 15,
        roiIjk[2] + (s % 10) - 5,
      ]);
      const t0 = performance.now();
      evaluatePlacement(field, { ...roi, centerLps: centre });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const t0 = performance.now();
    for (let s = 0; s < 1000; s++) countAbove(field, 40 + s / 100);
    const countUs = ((performance.now() - t0) / 1000) * 1000;

    console.log(`LETB on 512x512x300 (liver ${field.liverVoxels} voxels = ${field.liverMl.toFixed(0)} cm³):`);
    console.log(
      `  full pass (subtraction, liver histogram, ROI, count)   Concord ${best.toFixed(3)} s   numpy ${py.seconds.toFixed(3)} s   ratio numpy/Concord ${(py.seconds / best).toFixed(2)}x (target >= 1)`,
    );
    console.log(
      `  move the ROI and re-evaluate LETB: median ${times[100]!.toFixed(2)} ms, p95 ${times[190]!.toFixed(2)} ms, max ${times[199]!.toFixed(2)} ms over 200 moves (target < 5 ms)`,
    );
    console.log(`  re-threshold only (histogram lookup): ${countUs.toFixed(2)} µs`);
    console.log('');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  await benchSurface();
}
