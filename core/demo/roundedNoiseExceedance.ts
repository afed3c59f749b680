/**
 * P(S > thresholdHu) for S = round(μa + σZa) − round(μp + σZp) with integer means μa − μp =
 * meanDifferenceHu and independent standard normals Z: the exact sum over the distribution of
 * the rounded noise, P(round(σZ) = r) = Φ((r + ½)/σ) − Φ((r − ½)/σ).
 * Φ from erfc with the Numerical Recipes Chebyshev fit (fractional error < 1.2e-7).
 * Reference: Press WH et al. Numerical Recipes, 3rd ed., §6.2 (erfcc).
 * @throws RangeError for a non-positive noise SD
 */
export function roundedNoiseExceedance(meanDifferenceHu: number, noiseSdHu: number, thresholdHu: number): number {
  if (!(noiseSdHu > 0)) throw new RangeError('noiseSdHu must be positive');
  const span = Math.ceil(10 * noiseSdHu) + 1;
  const p: number[] = [];
  for (let r = -span; r <= span; r++) p.push(phi((r + 0.5) / noiseSdHu) - phi((r - 0.5) / noiseSdHu));
  let total = 0;
  for (let a = -span; a <= span; a++) {
    for (let b = -span; b <= span; b++) {
      if (meanDifferenceHu + a - b > thresholdHu) total += p[a + span]! * p[b + span]!;
    }
  }
  return total;
}

function phi(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
