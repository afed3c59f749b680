import type { DemoLesionDesign, Vec3 } from './demoPhantom';

/** How the viable (arterially enhancing) part of a designed lesion is shaped. */
export type ViablePattern =
  /** No necrosis: the whole sphere enhances. */
  | 'solid'
  /** An enhancing shell around a concentric necrotic core. */
  | 'rim'
  /** A wholly necrotic lesion with one residual enhancing nodule. */
  | 'nodule'
  /** A wholly necrotic lesion: no enhancement left. */
  | 'none';

/** The true diameters of one designed lesion, with caliper end points in body mm. */
export interface LesionDiameters {
  /** Longest axial diameter of the whole lesion (viable, necrotic and lipiodol parts), mm. */
  longestDiameterMm: number;
  /** End points of that diameter: along x through the lesion centre (body mm). */
  longestCaliperBodyMm: [Vec3, Vec3];
  viablePattern: ViablePattern;
  /** Longest axial segment lying wholly in viable tumour, mm; 0 when nothing enhances. */
  viableLongestDiameterMm: number;
  /** End points of that segment, along x (body mm); null when nothing enhances. */
  viableCaliperBodyMm: [Vec3, Vec3] | null;
}

/**
 * The true RECIST 1.1 and mRECIST diameters of a designed demo lesion (a sphere of radius R
 * around a concentric necrotic core of radius r, optionally one viable nodule of radius ρ).
 * - Longest axial diameter (RECIST 1.1): every axial section through the centre is a disc of
 *   diameter 2R, so 2R, measured along x through the centre.
 * - Viable longest diameter (mRECIST: the enhancing part, without intervening necrosis), taken
 *   as the longest axial segment lying wholly in viable tumour:
 *   solid (r = 0): 2R; rim (0 < r < R): on any axial section at height h < r the longest chord
 *   of the annulus missing the core is tangent to it, 2√((R² − h²) − (r² − h²)) = 2√(R² − r²),
 *   and sections with h ≥ r are discs no wider than that, so 2√(R² − r²), measured along x at
 *   y = centre + r on the central section; nodule (r = R): 2ρ through the nodule centre;
 *   none (r = R, no nodule): 0.
 *   Readers who measure a thin rim across the core get 2R instead; the demo's expected mRECIST
 *   categories hold either way (checked in test/core/demo).
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), Appendix I;
 * Lencioni R, Llovet JM. Semin Liver Dis 2010;30:52–60 (mRECIST, viable tumour diameter).
 * @throws RangeError when the radii are not 0 ≤ lipiodol ≤ necrotic ≤ radius with radius > 0, or a
 *   nodule sits in a lesion that is not wholly necrotic, reaches outside it or into the lipiodol
 */
export function lesionDiameters(lesion: DemoLesionDesign): LesionDiameters {
  const { centreBodyMm: c, radiusMm: R, necroticRadiusMm: r, lipiodolRadiusMm: oil, viableNodule: nodule } = lesion;
  if (!(R > 0 && r >= 0 && r <= R && oil >= 0 && oil <= r)) {
    throw new RangeError(`${lesion.id}: radii must satisfy 0 ≤ lipiodol ≤ necrotic ≤ radius, radius > 0`);
  }
  const along = (centre: Vec3, halfMm: number): [Vec3, Vec3] => [
    [centre[0] - halfMm, centre[1], centre[2]],
    [centre[0] + halfMm, centre[1], centre[2]],
  ];
  const longest = { longestDiameterMm: 2 * R, longestCaliperBodyMm: along(c, R) };
  if (nodule) {
    const d = Math.hypot(nodule.centreBodyMm[0] - c[0], nodule.centreBodyMm[1] - c[1], nodule.centreBodyMm[2] - c[2]);
    if (r < R) throw new RangeError(`${lesion.id}: a viable nodule needs a wholly necrotic lesion`);
    if (!(nodule.radiusMm > 0) || d + nodule.radiusMm > R || d - nodule.radiusMm < oil) {
      throw new RangeError(`${lesion.id}: the viable nodule must lie inside the lesion and clear of the lipiodol`);
    }
    return {
      ...longest,
      viablePattern: 'nodule',
      viableLongestDiameterMm: 2 * nodule.radiusMm,
      viableCaliperBodyMm: along(nodule.centreBodyMm, nodule.radiusMm),
    };
  }
  if (r === 0)
    return { ...longest, viablePattern: 'solid', viableLongestDiameterMm: 2 * R, viableCaliperBodyMm: along(c, R) };
  if (r === R) return { ...longest, viablePattern: 'none', viableLongestDiameterMm: 0, viableCaliperBodyMm: null };
  const half = Math.sqrt(R * R - r * r);
  return {
    ...longest,
    viablePattern: 'rim',
    viableLongestDiameterMm: 2 * half,
    viableCaliperBodyMm: along([c[0], c[1] + r, c[2]], half),
  };
}
