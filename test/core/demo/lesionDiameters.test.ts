import { describe, expect, it } from 'vitest';
import type { DemoLesionDesign } from '../../../core/demo/demoPhantom';
import { lesionDiameters } from '../../../core/demo/lesionDiameters';

const hu = { precontrast: 40, arterial: 160, portal_venous: 90 };
const lesion = (more: Partial<DemoLesionDesign>): DemoLesionDesign => ({
  id: 'L',
  couinaudSegment: 'VII',
  centreBodyMm: [10, 20, 30],
  radiusMm: 5,
  necroticRadiusMm: 0,
  lipiodolRadiusMm: 0,
  viableHu: hu,
  ...more,
});

describe('lesionDiameters', () => {
  it.each([
    // Hand derivations, R = 5 mm around (10, 20, 30):
    // solid: 2R = 10 along x through the centre.
    [
      'solid',
      {},
      10,
      10,
      [
        [5, 20, 30],
        [15, 20, 30],
      ],
    ],
    // rim, r = 3: tangent chord 2√(5² − 3²) = 8 at y = 20 + 3.
    [
      'rim',
      { necroticRadiusMm: 3, lipiodolRadiusMm: 1 },
      10,
      8,
      [
        [6, 23, 30],
        [14, 23, 30],
      ],
    ],
    // nodule of radius 1.5 at (13, 20, 30), inside (3 + 1.5 ≤ 5) and clear of a 1 mm deposit: 3.
    [
      'nodule',
      { necroticRadiusMm: 5, lipiodolRadiusMm: 1, viableNodule: { centreBodyMm: [13, 20, 30], radiusMm: 1.5 } },
      10,
      3,
      [
        [11.5, 20, 30],
        [14.5, 20, 30],
      ],
    ],
    // wholly necrotic: no viable diameter, no caliper.
    ['none', { necroticRadiusMm: 5, lipiodolRadiusMm: 2 }, 10, 0, null],
  ] as const)('%s', (pattern, more, longest, viable, viableCaliper) => {
    const d = lesionDiameters(lesion(more as Partial<DemoLesionDesign>));
    expect(d.viablePattern).toBe(pattern);
    expect(d.longestDiameterMm).toBe(longest);
    expect(d.longestCaliperBodyMm).toEqual([
      [5, 20, 30],
      [15, 20, 30],
    ]);
    expect(d.viableLongestDiameterMm).toBeCloseTo(viable, 12);
    if (viableCaliper === null) expect(d.viableCaliperBodyMm).toBeNull();
    else
      d.viableCaliperBodyMm!.forEach((p, n) => p.forEach((v, c) => expect(v).toBeCloseTo(viableCaliper[n]![c]!, 12)));
  });

  it.each([
    ['radius 0', { radiusMm: 0 }],
    ['core larger than the lesion', { necroticRadiusMm: 6 }],
    ['lipiodol outside the core', { necroticRadiusMm: 2, lipiodolRadiusMm: 3 }],
    [
      'nodule in a lesion with a viable rim',
      { necroticRadiusMm: 4, viableNodule: { centreBodyMm: [10, 20, 30], radiusMm: 1 } },
    ],
    ['nodule reaching outside', { necroticRadiusMm: 5, viableNodule: { centreBodyMm: [14, 20, 30], radiusMm: 2 } }],
    [
      'nodule in the lipiodol',
      { necroticRadiusMm: 5, lipiodolRadiusMm: 2, viableNodule: { centreBodyMm: [12, 20, 30], radiusMm: 1 } },
    ],
  ] as const)('rejects %s', (_name, more) => {
    expect(() => lesionDiameters(lesion(more as Partial<DemoLesionDesign>))).toThrow(RangeError);
  });
});
