/**
 * Length of an on-image caliper: the Euclidean distance between its two end points in patient
 * space, ‖b − a‖ = √((bₓ − aₓ)² + (b_y − a_y)² + (b_z − a_z)²).
 *
 * Both points are LPS millimetres (DICOM patient coordinates, as `ijkToLps` returns them), so the
 * length is in mm whatever the pixel spacing or slice orientation of the view the caliper was
 * drawn on. RECIST 1.1 measures the longest diameter in the axial plane (lymph nodes: the short
 * axis); which plane the points lie in is the caller's choice, not checked here.
 * Reference: Eisenhauer EA et al. Eur J Cancer 2009;45:228–247 (RECIST 1.1), §3.1 / Appendix I
 * (measurement of lesions); Lencioni R, Llovet JM. Semin Liver Dis 2010;30:52–60 (mRECIST, the
 * viable diameter is measured the same way).
 *
 * @param aLps first end point [x, y, z] in LPS mm
 * @param bLps second end point [x, y, z] in LPS mm
 * @returns the length in mm (≥ 0); 0 when both points coincide
 * @throws RangeError if a point does not have exactly three finite coordinates
 */
export function caliperLengthMm(aLps: readonly number[], bLps: readonly number[]): number {
  for (const p of [aLps, bLps]) {
    if (p.length !== 3 || !p.every(Number.isFinite)) {
      throw new RangeError(`A caliper end point needs three finite LPS coordinates in mm, got [${p.join(', ')}]`);
    }
  }
  // Math.hypot avoids the overflow/underflow of squaring and is exact for Pythagorean triples.
  return Math.hypot(bLps[0]! - aLps[0]!, bLps[1]! - aLps[1]!, bLps[2]! - aLps[2]!);
}
