import { describe, expect, it } from 'vitest';
import {
  demoLesionsPost,
  demoLesionsPre,
  demoPaintOps,
  demoRoiCentresBodyMm,
  lesionLabels,
  liverMaskLabels,
  tissue,
  tissueHu,
  type DemoLesionDesign,
  type PaintOp,
  type Vec3,
} from '../../../core/demo/demoPhantom';
import { rasterizePhantom, type AxialGrid } from '../../../core/demo/rasterizePhantom';
import { demoCohortDesigns } from '../../../core/demo/demoCohortDesigns';

describe('rasterizePhantom', () => {
  const grid: AxialGrid = { dims: [41, 41, 41], spacingMm: [1, 1, 1], originMm: [-20, -20, -20] };

  it('fills a sphere with the lattice-point count of a ball (hand count: 4/3 π 10³ ≈ 4189)', () => {
    const ops: PaintOp[] = [{ shape: { kind: 'ellipsoid', centreMm: [0, 0, 0], semiAxesMm: [10, 10, 10] }, label: 5 }];
    const count = rasterizePhantom(ops, grid, [0, 0, 0]).voxels.filter((v) => v === 5).length;
    // Integer points with x² + y² + z² ≤ 100: 4169 (OEIS A000605 at n = 10).
    expect(count).toBe(4169);
  });

  it('works in body coordinates: the anatomy offset moves the shape', () => {
    const ops: PaintOp[] = [
      { shape: { kind: 'ellipsoid', centreMm: [0, 0, 0], semiAxesMm: [0.5, 0.5, 0.5] }, label: 1 },
    ];
    const v = rasterizePhantom(ops, grid, [3, -4, 5]).voxels;
    expect([...v].findIndex((x) => x === 1)).toBe(23 + 16 * 41 + 25 * 41 * 41);
  });

  it('paints only over the listed labels, in order, and clips capsules and half-ellipsoids', () => {
    const ops: PaintOp[] = [
      { shape: { kind: 'cylinder', centreMm: [0, 0], semiAxesMm: [5, 5] }, label: 1 },
      { shape: { kind: 'capsule', fromMm: [-20, 0, 0], toMm: [20, 0, 0], radiusMm: 2 }, label: 2, onlyOver: [1] },
      { shape: { kind: 'ellipsoid', centreMm: [0, 0, 10], semiAxesMm: [3, 3, 3], maxYMm: 0 }, label: 3 },
    ];
    const v = rasterizePhantom(ops, grid, [0, 0, 0]).voxels;
    const at = (x: number, y: number, z: number) => v[x + 20 + (y + 20) * 41 + (z + 20) * 41 * 41];
    expect(at(0, 0, 0)).toBe(2);
    expect(at(5, 0, 0)).toBe(2);
    expect(at(6, 0, 0)).toBe(0); // capsule outside the cylinder: label 0 is not in onlyOver
    expect(at(0, 5, 7)).toBe(1);
    expect(at(0, -3, 10)).toBe(3);
    expect(at(0, 1, 10)).toBe(1); // y > maxYMm
  });
});

/**
 * Design checks on a fine grid in body coordinates (1 mm in-plane, 1.25 mm slices): every
 * lesion lies whole inside the liver, and every ROI centre is far from anything but parenchyma.
 */
describe('demo phantom design', () => {
  const grid: AxialGrid = { dims: [200, 180, 150], spacingMm: [1, 1, 1.25], originMm: [-150, -100, -90] };
  // DEMO-0001 (demoLesionsPre/Post) and every other patient of the cohort.
  const cases: [string, readonly DemoLesionDesign[]][] = demoCohortDesigns.flatMap((p) =>
    p.design.timepoints.map((tp): [string, readonly DemoLesionDesign[]] => [
      `${p.design.patient.id} ${tp.key}`,
      tp.lesions,
    ]),
  );
  const cohortLesions = cases.flatMap(([, lesions]) => lesions);

  it("starts the cohort with the demo study's own lesions", () => {
    expect(cases.slice(0, 2)).toEqual([
      ['DEMO-0001 pre', demoLesionsPre],
      ['DEMO-0001 post', demoLesionsPost],
    ]);
    expect(cases).toHaveLength(8);
  });

  it.each(cases)('%s: lesions are whole, inside the liver, and never touch each other', (_key, lesions) => {
    const labels = rasterizePhantom(demoPaintOps(lesions), grid, [0, 0, 0]).voxels;
    lesions.forEach((lesion, n) => {
      const own = new Set(Object.values(lesionLabels(n)));
      let inside = 0;
      let wrong = 0;
      forEachVoxelWithin(grid, lesion.centreBodyMm, lesion.radiusMm, (index) => {
        inside++;
        if (!own.has(labels[index]!)) wrong++;
      });
      expect(inside, lesion.id).toBeGreaterThan(0);
      expect(wrong, lesion.id).toBe(0);
      for (const other of lesions) {
        if (other === lesion) continue;
        const d = Math.hypot(...([0, 1, 2] as const).map((a) => other.centreBodyMm[a] - lesion.centreBodyMm[a]));
        expect(d, `${lesion.id}-${other.id}`).toBeGreaterThan(lesion.radiusMm + other.radiusMm);
      }
    });
  });

  it.each(cases)('%s: each ROI centre has only parenchyma within 11 mm (1 cm³ sphere: r = 6.2 mm)', (_key, lesions) => {
    const labels = rasterizePhantom(demoPaintOps(lesions), grid, [0, 0, 0]).voxels;
    for (const centre of demoRoiCentresBodyMm) {
      const found = new Set<number>();
      forEachVoxelWithin(grid, centre, 11, (index) => found.add(labels[index]!));
      expect([...found], `ROI at ${centre.join(', ')}`).toEqual([tissue.liver]);
    }
  });

  it('designs the phase contrasts of SPEC §1-2', () => {
    const liver = tissueHu[tissue.liver]!;
    expect([liver.precontrast, liver.arterial, liver.portal_venous]).toEqual([55, 70, 110]);
    for (const lesion of cohortLesions) {
      expect(lesion.viableHu.precontrast).toBeLessThan(liver.precontrast); // hypoattenuating before contrast
      expect(lesion.viableHu.arterial).toBeGreaterThanOrEqual(150); // hyperenhancing
      expect(lesion.viableHu.portal_venous).toBeLessThan(liver.portal_venous); // washout
    }
    expect(demoLesionsPre.filter((l) => l.lipiodolRadiusMm > 0).length).toBeGreaterThanOrEqual(1);
    expect(demoLesionsPost.filter((l) => l.lipiodolRadiusMm > 0).length).toBeGreaterThanOrEqual(2);
    expect(liverMaskLabels(demoLesionsPre.length).has(tissue.ivc)).toBe(false);
  });

  it('paints a residual viable nodule inside its wholly necrotic lesion, clear of the lipiodol', () => {
    const withNodule = cases.filter(([, lesions]) => lesions.some((l) => l.viableNodule));
    expect(withNodule.map(([key]) => key)).toEqual(['DEMO-0004 post']);
    const [, lesions] = withNodule[0]!;
    const labels = rasterizePhantom(demoPaintOps(lesions), grid, [0, 0, 0]).voxels;
    lesions.forEach((lesion, n) => {
      if (!lesion.viableNodule) return;
      const own = lesionLabels(n);
      const inNodule = new Set<number>();
      forEachVoxelWithin(grid, lesion.viableNodule.centreBodyMm, lesion.viableNodule.radiusMm, (index) =>
        inNodule.add(labels[index]!),
      );
      expect([...inNodule]).toEqual([own.viable]);
      let viable = 0;
      forEachVoxelWithin(grid, lesion.centreBodyMm, lesion.radiusMm, (index) => {
        if (labels[index] === own.viable) viable++;
      });
      let nodule = 0;
      forEachVoxelWithin(grid, lesion.viableNodule.centreBodyMm, lesion.viableNodule.radiusMm, () => nodule++);
      expect(viable).toBe(nodule); // the rest of the lesion is necrotic or lipiodol
    });
  });
});

function forEachVoxelWithin(grid: AxialGrid, centre: Vec3, radiusMm: number, visit: (index: number) => void): void {
  const [nx, ny, nz] = grid.dims;
  for (let k = 0; k < nz; k++) {
    const z = grid.originMm[2] + k * grid.spacingMm[2] - centre[2];
    if (Math.abs(z) > radiusMm) continue;
    for (let j = 0; j < ny; j++) {
      const y = grid.originMm[1] + j * grid.spacingMm[1] - centre[1];
      if (Math.abs(y) > radiusMm) continue;
      for (let i = 0; i < nx; i++) {
        const x = grid.originMm[0] + i * grid.spacingMm[0] - centre[0];
        if (x * x + y * y + z * z <= radiusMm * radiusMm) visit(i + j * nx + k * nx * ny);
      }
    }
  }
}
