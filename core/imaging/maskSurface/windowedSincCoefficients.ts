/**
 * Chebyshev coefficients of Taubin's windowed-sinc low-pass filter for mesh smoothing.
 * A mesh signal is filtered as f(K)·x = Σ_{n=0..N} c_n·T_n(I − K/2)·x, where K = I − W is the
 * umbrella Laplacian (W averages a vertex's neighbours; eigenvalues ("frequencies") k ∈ [0, 2])
 * and T_n are Chebyshev polynomials, so f(k) = Σ c_n·cos(n·θ) with θ = arccos(1 − k/2).
 * The coefficients are the Fourier series of the ideal low-pass that keeps θ ≤ θ_pb,
 * c_0 = θ_pb/π and c_n = 2·sin(n·θ_pb)/(n·π), times a Hamming window
 * w_n = 0.54 + 0.46·cos(n·π/(N + 1)), then scaled so that Σ c_n = 1: f(0) = 1, so a mesh is never
 * scaled towards the coordinate origin and its centroid stays put.
 * References: Taubin G, Zhang T, Golub G. Optimal surface smoothing as filter design.
 * ECCV 1996, LNCS 1064:283–292; VTK vtkWindowedSincPolyDataFilter.
 * @param order N ≥ 0 (one neighbour-averaging sweep per order; 0 returns [1], the identity)
 * @param passBand k_pb in (0, 2), the cut-off of the ideal filter: with N = 20 and k_pb = 0.1 the
 *   gain is 0.95 at k = 0.02, 0.50 at k_pb, 0.11 at 0.2 and below 0.004 from k = 0.3 on
 * @throws RangeError for a negative or non-integer order or a pass band outside (0, 2)
 */
export function windowedSincCoefficients(order: number, passBand: number): Float64Array {
  if (!Number.isInteger(order) || order < 0) throw new RangeError(`order must be a non-negative integer, got ${order}`);
  if (!(passBand > 0 && passBand < 2)) throw new RangeError(`pass band must be in (0, 2), got ${passBand}`);
  const thetaPb = Math.acos(1 - passBand / 2);
  const c = new Float64Array(order + 1);
  let sum = 0;
  for (let n = 0; n <= order; n++) {
    const window = 0.54 + 0.46 * Math.cos((n * Math.PI) / (order + 1));
    c[n] = n === 0 ? (window * thetaPb) / Math.PI : (2 * window * Math.sin(n * thetaPb)) / (n * Math.PI);
    sum += c[n]!;
  }
  for (let n = 0; n <= order; n++) c[n]! /= sum;
  return c;
}
